import path from 'node:path';
import { deploymentResources, processFiles } from '../../server/camunda/deploy-processes.js';
import { startWorkers, type RunningWorkers } from '../../workers/index.js';
import meteringOpenCycle from '../../workers/metering-open-cycle.js';
import meteringCheckCycle from '../../workers/metering-check-cycle.js';
import meteringCloseCycle from '../../workers/metering-close-cycle.js';
import meteringResolveReading from '../../workers/metering-resolve-reading.js';
import meteringFinishCycle from '../../workers/metering-finish-cycle.js';
import { MeteringService } from '../../domain/metering/service.js';
import { testWorkerClient } from '../support/workers.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { pinClock } from '../support/events.js';
import { eventually } from '../support/records.js';
import { openBook, reader } from '../integration/metering-fixtures.js';

// meter-reading-cycle through the embedded engine and the official client, with the engine clock pinned so the
// check interval and the deadline pass when the test says so. metering-resolve-reading runs in this file's own
// worker, so that one test can lose its first acknowledgement.
const DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../processes/metering');
const HOUR = 3_600_000;
const NOW = { consistency: { waitUpToMs: 0 } } as never;

let t: TestEngine;
let workers: RunningWorkers;
let resolver: { stop(): void };
let metering: MeteringService;
let now = Date.parse('2026-11-25T00:00:00Z');
let deliveries: string[] = [];
let loseFirstAck = false;

const advance = async (ms: number) => {
  now += ms;
  await pinClock(t, now);
};

beforeAll(async () => {
  t = await startTestEngine();
  await pinClock(t, now);
  await t.client.createDeployment({ resources: deploymentResources(processFiles(DIR)) });
  const { workerClient, workerCtx: ctx } = testWorkerClient(t);
  workers = startWorkers(workerClient, ctx, [
    meteringOpenCycle,
    meteringCheckCycle,
    meteringCloseCycle,
    meteringFinishCycle,
  ]);
  const config = meteringResolveReading(ctx);
  resolver = workerClient.createJobWorker({
    ...config,
    jobTimeoutMs: 1000,
    jobHandler: async (job) => {
      deliveries.push(String(job.jobKey));
      if (loseFirstAck && deliveries.length === 1) {
        // The change commits, the acknowledgement is lost: the engine hands the job out again after its timeout.
        await config.jobHandler({ ...job, complete: () => job.ignore() } as never);
        return job.ignore();
      }
      return config.jobHandler(job);
    },
  });
  metering = new MeteringService(t.db.knex);
});
afterAll(async () => {
  resolver?.stop();
  await workers?.stop(1000);
  await t?.client.resetClock();
  await t?.stop();
});

const start = async (bookCode: string, deadline: number) =>
  String(
    (
      await t.client.createProcessInstance({
        processDefinitionId: 'meter-reading-cycle' as never,
        variables: { bookCode, period: '2026-11', deadline: new Date(deadline).toISOString(), checkInterval: 'PT1H' },
      })
    ).processInstanceKey,
  );
// Whether the reading window waits for its next check: the relative timer is due one interval after it was
// created, so the clock may only move on once it exists.
const waitingForNextCheck = async (pi: string) => {
  const found = await t.client.searchElementInstances(
    { filter: { processInstanceKey: pi as never, elementId: 'wait-readings', state: 'ACTIVE' } } as never,
    NOW,
  );
  return (found.items ?? []).length > 0;
};
const state = async (pi: string) => (await t.client.getProcessInstance({ processInstanceKey: pi as never }, NOW)).state;
const openTasks = async (pi: string) =>
  (
    await t.client.searchUserTasks(
      { filter: { processInstanceKey: pi as never, elementId: 'review-reading' as never, state: 'CREATED' } } as never,
      NOW,
    )
  ).items as Array<{ userTaskKey: string; candidateGroups: string[] }>;
const taskVariables = async (key: string) => {
  const found = await t.client.searchUserTaskVariables(
    { userTaskKey: key as never, page: { limit: 100 } } as never,
    NOW,
  );
  return Object.fromEntries(found.items.map((v: { name: string; value: string }) => [v.name, JSON.parse(v.value)]));
};
const orders = async (bookCode: string) =>
  t.db
    .knex('cis.reading_orders as o')
    .join('cis.reading_cycles as c', 'c.id', 'o.cycle_id')
    .join('cis.meter_books as b', 'b.id', 'c.book_id')
    .join('cis.accounts as a', 'a.id', 'o.account_id')
    .where('b.code', bookCode)
    .orderBy('o.id')
    .select('a.account_no', 'o.seq', 'o.status');

test('the book is read before the deadline: doubtful reading to a clerk, a refused decision back to the form, corrected', async () => {
  const book = await openBook(t.db.knex, 'CY1', 3, { initialReading: '100' });
  const pi = await start('CY1', now + 72 * HOUR);
  // Orders in route order, one per account.
  await eventually(async () => (await orders('CY1')).length === 3);
  expect((await orders('CY1')).map((o) => [o.account_no, o.seq, o.status])).toEqual(
    book.map((b, i) => [b.accountNo, (i + 1) * 10, 'open']),
  );

  await metering.record({ meterSerial: book[0].serial, reading: '110', period: '2026-11' }, reader);
  const doubtful = await metering.record({ meterSerial: book[1].serial, reading: '90', period: '2026-11' }, reader);
  await metering.record({ meterSerial: book[2].serial, reading: '120', period: '2026-11', source: 'mobile' }, reader);
  expect((await orders('CY1')).map((o) => o.status)).toEqual(['read', 'read', 'read']);

  // The first check ran before or after the readings: it left a task, or waits for the next check.
  await eventually(async () => (await openTasks(pi)).length > 0 || (await waitingForNextCheck(pi)));
  await advance(HOUR + 1000); // the next check finds the book read
  const [task] = await eventually(async () => {
    const found = await openTasks(pi);
    return found.length ? found : undefined;
  });
  // reading-review.dmn sent it to the clerks (rule negative-consumption), evaluated inside the review sub-process.
  expect(task.candidateGroups).toEqual(['clerk']);
  const decided = await t.client.searchDecisionInstances({ filter: { processInstanceKey: pi as never } } as never, NOW);
  expect(decided.items!.map((d) => [d.decisionDefinitionId, d.result])).toEqual([['reading-review', '["clerk"]']]);
  expect(await taskVariables(task.userTaskKey)).toMatchObject({
    accountNo: book[1].accountNo,
    failedRule: 'negative_consumption',
    reading: '90.000',
    previousReading: '100.000',
  });

  // "Correct" without a value: refused, back to the same form with the problem.
  await t.client.completeUserTask({ userTaskKey: task.userTaskKey as never, variables: { decision: 'correct' } });
  const [again] = await eventually(async () => {
    const found = await openTasks(pi);
    return found.length && found[0].userTaskKey !== task.userTaskKey ? found : undefined;
  });
  expect((await taskVariables(again.userTaskKey)).problem).toContain('correctedReading');

  await t.client.completeUserTask({
    userTaskKey: again.userTaskKey as never,
    variables: { decision: 'correct', correctedReading: 109.5, note: '读错' },
  });
  await eventually(async () => (await state(pi)) === 'COMPLETED');
  expect(await metering.get(doubtful.id)).toMatchObject({
    status: 'accepted',
    reading: '109.500',
    consumption: '9.500',
  });
  const cycle = await t.db.knex('cis.reading_cycles').where({ process_instance_key: pi }).first();
  expect(cycle.status).toBe('closed');
  const audit = await t.db.knex('cis.audit_log').where({ process_instance_key: pi }).orderBy('id');
  expect(audit.map((a) => `${a.actor}:${a.action}:${a.entity}`)).toEqual([
    'worker:metering-open-cycle:opened:reading_cycle',
    'worker:metering-resolve-reading:corrected:reading',
    'worker:metering-finish-cycle:closed:reading_cycle',
  ]);
});

test('the deadline passes: unread meters are missed, estimated by the clerk; the resolve job delivered twice acts once', async () => {
  const book = await openBook(t.db.knex, 'CY2', 2);
  await metering.record({ meterSerial: book[0].serial, reading: '10', period: '2026-10' }, reader);
  await metering.record({ meterSerial: book[1].serial, reading: '8', period: '2026-10' }, reader);
  const pi = await start('CY2', now + 2 * HOUR);
  await eventually(async () => (await orders('CY2')).length === 2);
  await metering.record({ meterSerial: book[0].serial, reading: '21', period: '2026-11' }, reader);
  await eventually(() => waitingForNextCheck(pi));
  await advance(HOUR + 1000);
  await new Promise((r) => setTimeout(r, 300));
  expect(await state(pi)).toBe('ACTIVE');
  expect(await openTasks(pi)).toHaveLength(0); // still waiting: one meter unread, deadline ahead

  await advance(HOUR); // past the deadline
  const [task] = await eventually(async () => {
    const found = await openTasks(pi);
    return found.length ? found : undefined;
  });
  expect((await orders('CY2')).map((o) => o.status)).toEqual(['read', 'missed']);
  expect(await taskVariables(task.userTaskKey)).toMatchObject({
    accountNo: book[1].accountNo,
    exceptionKind: 'missed',
  });

  deliveries = [];
  loseFirstAck = true;
  await t.client.completeUserTask({ userTaskKey: task.userTaskKey as never, variables: { decision: 'estimate' } });
  await eventually(async () => deliveries.length === 1);
  await advance(60_000); // the lost acknowledgement's job times out on the engine clock
  await eventually(async () => (await state(pi)) === 'COMPLETED');
  loseFirstAck = false;
  expect(deliveries).toHaveLength(2);
  expect(deliveries[0]).toBe(deliveries[1]);
  const estimates = await t.db.knex('cis.readings').where({ source: 'estimate', period: '2026-11-01' });
  expect(estimates).toHaveLength(1);
  expect(estimates[0]).toMatchObject({ estimated: true, reading: '16.000', consumption: '8.000', status: 'accepted' });
  expect((await orders('CY2')).map((o) => o.status)).toEqual(['read', 'read']);
});

// reading-review.dmn (FIRST hit policy) by hand, row by row: who reviews which exception.
test.each([
  ['missed', null, ['clerk'], 'missed-meter'],
  ['missed', 'zero_consumption', ['clerk'], 'missed-meter'],
  ['pending', 'negative_consumption', ['clerk'], 'negative-consumption'],
  ['pending', 'zero_consumption', ['reader'], 'zero-or-high-consumption'],
  ['pending', 'high_consumption', ['reader'], 'zero-or-high-consumption'],
  ['pending', 'rollover', ['engineer'], 'meter-question'],
  ['pending', 'replacement', ['engineer'], 'meter-question'],
  ['pending', 'no_meter', ['engineer'], 'meter-question'],
  ['pending', null, ['clerk'], 'anything-else'],
])('a %s reading with failed rule %s is reviewed by %j (rule %s)', async (kind, failedRule, groups, ruleId) => {
  const r = await t.client.evaluateDecision({
    decisionDefinitionId: 'reading-review' as never,
    variables: { exception: { kind, failedRule, accountNo: 'A1' } },
  } as never);
  expect(JSON.parse(r.output)).toEqual(groups);
  expect(r.evaluatedDecisions[0].matchedRules!.map((m) => m.ruleId)).toEqual([ruleId]);
});
