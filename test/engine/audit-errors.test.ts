import { startTestEngine, type TestEngine, fixtureFile } from '../support/engine.js';
import { elementsWith, instanceState, rootVariables } from '../support/records.js';
import { activeJob } from '../support/events.js';

// Camunda 8.8 docs, BPMN › Error events: an error is caught by the first matching catch event in the scope
// hierarchy; "it is possible to define both an error catch event with an errorCode and one without in the same
// scope. When this happens, the error catch event that matches the errorCode is prioritized"; "It is also not
// permitted to have multiple error catch events without an errorCode in a single scope. The deployment gets
// rejected"; "All error variables are merged into the error catch event. These variables can be merged into the
// process instance by defining an output mapping"; unhandled errors raise an incident on the element that threw.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('audit-errors.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

const start = async (id: string) =>
  (await t.client.createProcessInstance({ processDefinitionId: id as never, variables: {} })).processInstanceKey;

describe('Camunda 8.8 conformance: error events', () => {
  test('an error end event in a sub-process: the boundary with the matching code wins over the catch-all', async () => {
    const pi = await start('audit-err');
    const job = await activeJob(t, 'audit-err-work', pi);
    await t.client.completeJob({ jobKey: job.jobKey, variables: { code: 'E1' } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const done = await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED');
    expect(done).toContain('endSpecific');
    expect(done).not.toContain('endAll');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_TERMINATED')).toContain('sub');
  });

  test('another code is caught by the catch-all boundary', async () => {
    const pi = await start('audit-err');
    const job = await activeJob(t, 'audit-err-work', pi);
    await t.client.completeJob({ jobKey: job.jobKey, variables: { code: 'OTHER' } });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).toContain('endAll');
  });

  test('error variables reach the process only through the catch event’s output mappings', async () => {
    const pi = await start('audit-err');
    const job = await activeJob(t, 'audit-err-work', pi);
    await t.client.throwJobError({
      jobKey: job.jobKey,
      errorCode: 'E1',
      errorMessage: 'card declined',
      variables: { reason: 'declined', noise: 1 },
    } as never);
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).toContain('endSpecific');
    expect(await rootVariables(t.db.knex, pi)).toEqual({ why: 'declined' });
  });

  test('an uncaught error end event is an UNHANDLED_ERROR_EVENT incident on the end event', async () => {
    const pi = await start('audit-err-uncaught');
    const incident = await t.db.knex('engine.incident').where({ process_instance_key: pi }).first();
    expect(incident).toMatchObject({ error_type: 'UNHANDLED_ERROR_EVENT', element_id: 'uEnd', state: 'ACTIVE' });
    expect(incident.error_message).toBe(
      "Expected to throw an error event with the code 'NOPE', but it was not caught. No error events are available in the scope.",
    );
    expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');
  });

  test('two catch-all error boundaries on one activity reject the deployment', async () => {
    let error: { status?: number; detail?: string } | undefined;
    try {
      await t.client.createDeployment({ resources: [fixtureFile('audit-errors-invalid.bpmn')] });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.status).toBe(400);
    expect(error?.detail).toContain('audit-errors-invalid.bpmn');
    expect(error?.detail).toContain(
      'The same scope can not contain more than one error catch event without error code',
    );
    expect(await t.db.knex('engine.process_definition').where({ bpmn_process_id: 'audit-err-invalid' })).toHaveLength(
      0,
    );
  });
});

describe('Camunda 8.8 conformance: resolving an unhandled job error', () => {
  test('resolving the incident ignores the error and re-enables the job, which a worker then completes', async () => {
    await t.deploy('audit-err-job.bpmn');
    const pi = await start('audit-err-job');
    const job = await activeJob(t, 'audit-err-job', pi);
    await t.client.throwJobError({ jobKey: job.jobKey, errorCode: 'UNKNOWN', errorMessage: 'boom' } as never);
    const incident = await t.db.knex('engine.incident').where({ process_instance_key: pi }).first();
    expect(incident).toMatchObject({ error_type: 'UNHANDLED_ERROR_EVENT', element_id: 'work', state: 'ACTIVE' });
    expect(incident.error_message).toBe(
      "Expected to throw an error event with the code 'UNKNOWN' with message 'boom', but it was not caught. No error events are available in the scope.",
    );
    await t.client.resolveIncident({ incidentKey: incident.key });
    const again = await activeJob(t, 'audit-err-job', pi);
    expect(again.jobKey).toBe(job.jobKey);
    await t.client.completeJob({ jobKey: again.jobKey, variables: {} });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
  });
});
