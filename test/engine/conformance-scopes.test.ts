import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState, rootVariables } from '../support/records.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('conformance/job-scopes.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

async function oneJob(type: string, piKey: string) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 5,
    timeout: 30000,
    worker: 'conformance',
    requestTimeout: 2000,
  } as never);
  const job = jobs.find((j) => j.processInstanceKey === piKey);
  if (!job) throw new Error(`no ${type} job`);
  return job;
}

describe('Camunda 8.8 conformance: variable scopes of jobs and errors', () => {
  test('without output mappings, job variables merge from the task scope up: an input-mapped name stays local, others reach the root; error variables reach the root', async () => {
    const pi = (
      await t.client.createProcessInstance({
        processDefinitionId: 'conf-job-scopes' as never,
        variables: { order: { id: 'O-9' } },
      })
    ).processInstanceKey;
    const work = await oneJob('conf-scope-work', pi);
    expect(work.variables).toEqual({ order: { id: 'O-9' }, orderId: 'O-9' });
    await t.client.completeJob({ jobKey: work.jobKey, variables: { orderId: 'changed', status: 'done' } });
    expect(await rootVariables(t.db.knex, pi)).toEqual({ order: { id: 'O-9' }, status: 'done' });

    const check = await oneJob('conf-scope-check', pi);
    await t.client.throwJobError({
      jobKey: check.jobKey,
      errorCode: 'REJECTED',
      errorMessage: 'no',
      variables: { reason: 'credit' },
    } as never);
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).toContain('endRejected');
    expect((await rootVariables(t.db.knex, pi)).reason).toBe('credit');
  });
});
