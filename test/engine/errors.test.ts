import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState, rootVariables } from '../support/records.js';
import { activeJob, elementState } from '../support/events.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('error-boundary.bpmn', 'error-scopes.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

describe('error boundary events', () => {
  test('a job error is caught by the boundary with its code; error variables propagate', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'error-boundary' as never, variables: {} });
    const job = await activeJob(t, 'eb-pay', pi.processInstanceKey);
    await t.client.throwJobError({
      jobKey: job.jobKey,
      errorCode: 'INSUFFICIENT',
      errorMessage: 'balance too low',
      variables: { shortBy: 1200 },
    } as never);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await elementState(t.db.knex, pi.processInstanceKey, 'pay')).toEqual(['TERMINATED']);
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'insufficient',
      'insufficientEnd',
      'error-boundary',
    ]);
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({ shortBy: 1200 });
  });

  test('another code goes to the catch-all boundary (no error code)', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'error-boundary' as never, variables: {} });
    const job = await activeJob(t, 'eb-pay', pi.processInstanceKey);
    await t.client.throwJobError({ jobKey: job.jobKey, errorCode: 'BANK_DOWN' } as never);
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'anyError',
      'otherEnd',
      'error-boundary',
    ]);
  });
});

describe('error scopes', () => {
  test('the innermost catch wins: the sub-process’s error event sub-process handles INNER and the sub-process completes', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'error-scopes' as never,
      variables: { decision: 'go' },
    });
    const job = await activeJob(t, 'es-inner', pi.processInstanceKey);
    await t.client.throwJobError({
      jobKey: job.jobKey,
      errorCode: 'INNER',
      variables: { why: 'meter missing' },
    } as never);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'spStart',
      'route',
      'fixStart',
      'fixed',
      'fix',
      'sp',
      'done',
      'error-scopes',
    ]);
    expect(await elementState(t.db.knex, pi.processInstanceKey, 'inner')).toEqual(['TERMINATED']);
  });

  test('an error end event inside the sub-process is caught by the boundary on the sub-process', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'error-scopes' as never,
      variables: { decision: 'reject' },
    });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await elementState(t.db.knex, pi.processInstanceKey, 'sp')).toEqual(['TERMINATED']);
    expect(await elementState(t.db.knex, pi.processInstanceKey, 'reject')).toEqual(['TERMINATED']);
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'spStart',
      'route',
      'outer',
      'rejected',
      'error-scopes',
    ]);
  });

  test('an uncaught error is an UNHANDLED_ERROR_EVENT incident on the task', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'error-scopes' as never,
      variables: { decision: 'go' },
    });
    const job = await activeJob(t, 'es-inner', pi.processInstanceKey);
    await t.client.throwJobError({ jobKey: job.jobKey, errorCode: 'NOBODY_CATCHES_THIS' } as never);
    const inc = await t.db.knex('engine.incident').where({ process_instance_key: pi.processInstanceKey }).first();
    expect(inc).toMatchObject({ element_id: 'inner', error_type: 'UNHANDLED_ERROR_EVENT', state: 'ACTIVE' });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('ACTIVE');
  });
});
