import { startTestEngine, type TestEngine } from '../support/engine.js';
import { createTimelineReader, type TimelineEntry } from '../../engine/store/timeline/timeline.js';
import { repairResources } from './search-model.js';
import { eventually } from '../support/records.js';
import { pinClock } from '../support/events.js';

// The auditors' timeline: read from the append-only record log of a live engine.
let t: TestEngine;
let reader: ReturnType<typeof createTimelineReader>;
let piKey: string;
const DUE = '2026-06-30T08:00:00.000Z';

beforeAll(async () => {
  t = await startTestEngine({ basic: { user: 'alice', password: 'secret' } });
  reader = createTimelineReader(t.db.url);
  await t.client.createDeployment({ resources: repairResources() });
  piKey = (
    await t.client.createProcessInstance({
      processDefinitionId: 'search-repair' as never,
      variables: { amount: 100, due: DUE },
    })
  ).processInstanceKey;
  const activate = async () =>
    (
      await t.client.activateJobs({
        type: 'search-check',
        maxJobsToActivate: 1,
        timeout: 30000,
        worker: 'meter-bot',
        requestTimeout: 2000,
      } as never)
    ).jobs[0];
  const job = await activate();
  await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'meter unreachable' });
  const { items } = await t.client.searchIncidents(
    { filter: { processInstanceKey: piKey as never } },
    { consistency: { waitUpToMs: 0 } },
  );
  await t.client.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } });
  await t.client.resolveIncident({ incidentKey: items![0].incidentKey! });
  await t.client.completeJob({ jobKey: (await activate()).jobKey, variables: { amount: 150, checked: true } });
  const task = (
    await t.client.searchUserTasks(
      { filter: { processInstanceKey: piKey as never } },
      { consistency: { waitUpToMs: 0 } },
    )
  ).items[0];
  await t.client.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'bob' });
  await t.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } });
});
afterAll(async () => {
  await t?.client.resetClock();
  await reader?.close();
  await t?.stop();
});

const of = <K extends TimelineEntry['kind']>(entries: TimelineEntry[], kind: K) =>
  entries.filter((e): e is Extract<TimelineEntry, { kind: K }> => e.kind === kind);

test('every element entered and left, with time, duration and who', async () => {
  const tl = (await reader.read(piKey))!;
  expect(tl).toMatchObject({
    processInstanceKey: piKey,
    bpmnProcessId: 'search-repair',
    version: 1,
    outcome: 'COMPLETED',
  });
  expect(tl.durationMs).toBeGreaterThanOrEqual(0);
  expect(tl.elements.map((e) => [e.elementId, e.elementType, e.outcome])).toEqual([
    ['start', 'START_EVENT', 'COMPLETED'],
    ['check', 'SERVICE_TASK', 'COMPLETED'],
    ['approve', 'USER_TASK', 'COMPLETED'],
    ['end', 'END_EVENT', 'COMPLETED'],
  ]);
  for (const e of tl.elements) {
    expect(Date.parse(e.leftAt!) - Date.parse(e.enteredAt)).toBe(e.durationMs);
    expect(e.durationMs).toBeGreaterThanOrEqual(0);
  }
  const approve = tl.elements.find((e) => e.elementId === 'approve')!;
  expect(approve.enteredBy).toBe('meter-bot'); // the job completion moved the token on
  expect(approve.leftBy).toBe('alice'); // the user whose command completed the task
  expect(tl.elements[0].enteredBy).toBe('alice'); // she started the instance
  const positions = tl.entries.map((e) => BigInt(e.position));
  expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
});

test('variable changes carry old and new values', async () => {
  const tl = (await reader.read(piKey))!;
  const amount = of(tl.entries, 'variable-set').filter((v) => v.name === 'amount');
  expect(amount.map((v) => [v.created, v.oldValue, v.newValue])).toEqual([
    [true, null, 100],
    [false, 100, 150],
  ]);
  expect(amount[1].actor).toBe('meter-bot');
  expect(of(tl.entries, 'variable-set').find((v) => v.name === 'approved')).toMatchObject({
    newValue: true,
    actor: 'alice',
    created: true,
  });
});

test('incidents and their resolution, jobs with their worker, the user task history', async () => {
  const tl = (await reader.read(piKey))!;
  const [created] = of(tl.entries, 'incident-created');
  expect(created).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'meter unreachable', elementId: 'check' });
  const [resolved] = of(tl.entries, 'incident-resolved');
  expect(resolved).toMatchObject({ incidentKey: created.incidentKey, actor: 'alice' });
  expect(resolved.openForMs).toBeGreaterThanOrEqual(0);
  const jobs = of(tl.entries, 'job').map((j) => [j.intent, j.worker]);
  expect(jobs).toEqual(
    expect.arrayContaining([
      ['FAILED', 'meter-bot'],
      ['COMPLETED', 'meter-bot'],
    ]),
  );
  expect(jobs[0][0]).toBe('CREATED');
  const tasks = of(tl.entries, 'user-task').map((u) => [u.intent, u.assignee, u.actor]);
  expect(tasks).toEqual([
    ['CREATED', null, 'meter-bot'],
    ['ASSIGNED', 'bob', 'alice'],
    ['COMPLETED', 'bob', 'alice'],
  ]);
  expect(of(tl.entries, 'sequence-flow-taken').map((f) => f.elementId)).toEqual(['to-check', 'to-approve', 'to-end']);
});

test('nothing can change the log it is read from', async () => {
  await expect(
    t.db.knex('engine.record').where({ process_instance_key: piKey }).update({ actor: 'mallory' }),
  ).rejects.toThrow(/append-only/);
  await expect(t.db.knex('engine.record').where({ process_instance_key: piKey }).delete()).rejects.toThrow(
    /append-only/,
  );
  expect((await reader.read(piKey))!.entries.some((e) => e.actor === 'mallory')).toBe(false);
});

test('an unknown instance has no timeline', async () => {
  expect(await reader.read('123')).toBeNull();
  expect(await reader.read('not-a-key')).toBeNull();
});

describe('message correlations and timer firings', () => {
  const WAIT_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="timeline-wait" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="paid" />
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="paid" targetRef="cool-off" />
    <bpmn:intermediateCatchEvent id="cool-off"><bpmn:timerEventDefinition><bpmn:timeDuration>PT5M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="cool-off" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
  <bpmn:message id="m" name="timeline-paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=account" /></bpmn:extensionElements></bpmn:message>
</bpmn:definitions>`;

  test('appear with their message, correlation key and due date; the subscription is searchable', async () => {
    const start = Date.parse('2030-01-01T08:00:00Z');
    await pinClock(t, start);
    await t.client.createDeployment({
      resources: [new File([WAIT_BPMN], 'timeline-wait.bpmn', { type: 'application/xml' })],
    });
    const pi = (
      await t.client.createProcessInstance({
        processDefinitionId: 'timeline-wait' as never,
        variables: { account: 'ACC-7' },
      })
    ).processInstanceKey;
    const subs = await t.client.searchMessageSubscriptions(
      { filter: { processInstanceKey: pi as never } },
      { consistency: { waitUpToMs: 0 } },
    );
    expect(subs.items?.map((s) => [s.messageName, s.correlationKey, s.messageSubscriptionState, s.elementId])).toEqual([
      ['timeline-paid', 'ACC-7', 'CREATED', 'paid'],
    ]);
    await t.client.publishMessage({ name: 'timeline-paid', correlationKey: 'ACC-7', variables: { paidFen: 12345 } });
    await pinClock(t, start + 6 * 60_000);
    await eventually(async () => (await reader.read(pi))?.outcome === 'COMPLETED');

    const tl = (await reader.read(pi))!;
    const [message] = of(tl.entries, 'message-correlated');
    expect(message).toMatchObject({ elementId: 'paid', messageName: 'timeline-paid', correlationKey: 'ACC-7' });
    expect(of(tl.entries, 'variable-set').find((v) => v.name === 'paidFen')).toMatchObject({ newValue: 12345 });
    const [timer] = of(tl.entries, 'timer-fired');
    expect(timer).toMatchObject({ elementId: 'cool-off', dueDate: new Date(start + 5 * 60_000).toISOString() });
    const coolOff = tl.elements.find((e) => e.elementId === 'cool-off')!;
    expect(coolOff.durationMs).toBeGreaterThanOrEqual(5 * 60_000); // engine time: the pinned clock moved six minutes
    const after = await t.client.searchMessageSubscriptions(
      { filter: { processInstanceKey: pi as never } },
      { consistency: { waitUpToMs: 0 } },
    );
    expect(after.items?.map((s) => s.messageSubscriptionState)).toEqual(['CORRELATED']);
  });
});
