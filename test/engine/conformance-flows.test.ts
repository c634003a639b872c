import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, eventually, instanceState, rootVariables } from '../support/records.js';

// Behaviours documented for Camunda 8.8 (gateways, call activities, error events, terminate end event,
// multi-instance, incidents, user tasks) on models the engine's own tests do not use.
let t: TestEngine;
const NOW = { consistency: { waitUpToMs: 0 } } as never;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'conformance/parallel-loop.bpmn',
    'conformance/inclusive-partial.bpmn',
    'conformance/call-child-vars.bpmn',
    'conformance/call-parent-vars.bpmn',
    'conformance/error-expression.bpmn',
    'conformance/terminate-sub.bpmn',
    'conformance/mi-objects.bpmn',
    'conformance/job-incident.bpmn',
    'conformance/user-task-expr.bpmn',
  );
});
afterAll(async () => {
  await t?.stop();
});

async function jobsOf(type: string, piKey: string, max = 10) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: max,
    timeout: 30000,
    worker: 'conformance',
    requestTimeout: 2000,
  } as never);
  return jobs.filter((j) => j.processInstanceKey === piKey);
}
async function oneJob(type: string, piKey: string) {
  const [job] = await jobsOf(type, piKey, 1);
  if (!job) throw new Error(`no ${type} job`);
  return job;
}
const start = async (id: string, variables: Record<string, unknown> = {}) =>
  (await t.client.createProcessInstance({ processDefinitionId: id as never, variables })).processInstanceKey;

describe('Camunda 8.8 conformance: flows', () => {
  test('a parallel join inside a loop fires once per round', async () => {
    const pi = await start('conf-parallel-loop', { round: 0 });
    await t.client.completeJob({ jobKey: (await oneJob('conf-loop-a', pi)).jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');
    await t.client.completeJob({ jobKey: (await oneJob('conf-loop-a', pi)).jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(
      await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED').then((ids) => ids.filter((i) => i === 'join')),
    ).toEqual(['join', 'join']);
    expect((await rootVariables(t.db.knex, pi)).round).toBe(2);
  });

  test('an inclusive join waits only for the branches the fork took', async () => {
    const pi = await start('conf-inclusive-partial', { parts: ['a', 'c'] });
    const jobs = await jobsOf('conf-inc', pi);
    expect(jobs.map((j) => j.elementId).sort()).toEqual(['a', 'c']);
    await t.client.completeJob({ jobKey: jobs.find((j) => j.elementId === 'a')!.jobKey });
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_ACTIVATING').then((ids) => ids.includes('join'))).toBe(false);
    await t.client.completeJob({ jobKey: jobs.find((j) => j.elementId === 'c')!.jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect((await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).filter((i) => i === 'join')).toEqual(['join']);
  });

  test('call activity with propagateAllChildVariables=false: only output mappings come back, merged into the object', async () => {
    const pi = await start('conf-call-parent', { order: { id: 'O-1', amount: 5 } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi)).toEqual({ order: { id: 'O-1', amount: 5, score: 10 } });
  });

  test('an error end event with an errorCode expression is caught by the boundary with the evaluated code', async () => {
    const pi = await start('conf-error-expression', { code: 42 });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const done = await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED');
    expect(done).toContain('handled');
    expect(done).not.toContain('normal');
  });

  test('a terminate end event in a sub-process ends only that sub-process, which then continues normally', async () => {
    const pi = await start('conf-terminate-sub');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_TERMINATED')).toEqual(['wait']);
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).toContain('sub');
    expect(await jobsOf('conf-term-wait', pi)).toHaveLength(0);
    await t.client.completeJob({ jobKey: (await oneJob('conf-term-after', pi)).jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
  });

  test('parallel multi-instance over a list of objects collects outputs in input order', async () => {
    const pi = await start('conf-mi-objects', {
      order: {
        lines: [
          { sku: 'A', qty: 1 },
          { sku: 'B', qty: 3 },
        ],
      },
    });
    const jobs = await jobsOf('conf-mi-line', pi);
    expect(jobs).toHaveLength(2);
    const bySku = (sku: string) => jobs.find((j) => (j.variables as { item: { sku: string } }).item.sku === sku)!;
    expect(bySku('B').variables).toMatchObject({ item: { sku: 'B', qty: 3 }, double: 6, loopCounter: 2 });
    await t.client.completeJob({ jobKey: bySku('B').jobKey, variables: { price: 30 } });
    await t.client.completeJob({ jobKey: bySku('A').jobKey, variables: { price: 10 } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const vars = await rootVariables(t.db.knex, pi);
    expect(vars.priced).toEqual([
      { sku: 'A', price: 10 },
      { sku: 'B', price: 30 },
    ]);
    expect(vars.item).toBeUndefined(); // the input element is local to each inner instance
  });

  test('a job failed with no retries left raises a JOB_NO_RETRIES incident; more retries + resolution re-run it', async () => {
    const pi = await start('conf-job-incident');
    const job = await oneJob('conf-inc-job', pi);
    expect(job.retries).toBe(2);
    await t.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'meter offline' });
    const incident = (await t.client.searchIncidents({ filter: { processInstanceKey: pi } } as never, NOW)).items![0]!;
    expect(incident).toMatchObject({
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'meter offline',
      elementId: 'work',
      state: 'ACTIVE',
      jobKey: job.jobKey,
    });
    expect(await jobsOf('conf-inc-job', pi)).toHaveLength(0);
    await t.client.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } } as never);
    await t.client.resolveIncident({ incidentKey: incident.incidentKey! });
    const again = await oneJob('conf-inc-job', pi);
    expect(again.jobKey).toBe(job.jobKey);
    expect(again.retries).toBe(1);
    await t.client.completeJob({ jobKey: again.jobKey });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const resolved = await t.client.getIncident({ incidentKey: incident.incidentKey! }, NOW);
    expect(resolved.state).toBe('RESOLVED');
  });

  test('user task assignee, candidate groups and priority from expressions; static candidate users split at commas', async () => {
    const pi = await start('conf-user-task-expr', {
      case: { owner: { login: 'kim' }, teams: ['billing', 'ops'], urgency: 3 },
    });
    const task = await eventually(async () => {
      const found = await t.client.searchUserTasks({ filter: { processInstanceKey: pi } } as never, NOW);
      return found.items[0];
    });
    expect(task).toMatchObject({
      elementId: 'review',
      assignee: 'kim',
      candidateGroups: ['billing', 'ops'],
      candidateUsers: ['anna', 'ben'],
      priority: 30,
      state: 'CREATED',
    });
    await t.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect((await rootVariables(t.db.knex, pi)).approved).toBe(true);
  });
});
