import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState } from '../support/records.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'exclusive-gateway.bpmn',
    'exclusive-no-default.bpmn',
    'parallel-gateway.bpmn',
    'inclusive-gateway.bpmn',
  );
});
afterAll(async () => {
  await t?.stop();
});

const start = (id: string, variables: Record<string, unknown> = {}) =>
  t.client.createProcessInstance({ processDefinitionId: id as never, variables });

async function completeJobOf(type: string, piKey: string, variables: Record<string, unknown> = {}) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 10,
    timeout: 30000,
    worker: 'test',
    requestTimeout: 5000,
  } as never);
  const job = jobs.find((j) => j.processInstanceKey === piKey);
  if (!job) throw new Error(`no ${type} job for ${piKey}`);
  await t.client.completeJob({ jobKey: job.jobKey, variables });
}

describe('exclusive gateway', () => {
  test.each([
    [5000, 'large'],
    [500, 'medium'],
    [5, 'small'],
  ])('amount %d takes the first true condition or the default (%s)', async (amount, path) => {
    const pi = await start('exclusive-gateway', { amount });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    const done = await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED');
    expect(done).toEqual(['start', 'split', path, 'merge', 'end', 'exclusive-gateway']);
  });

  test('no true condition and no default → incident; setting the variable and resolving continues', async () => {
    const pi = await start('exclusive-no-default', {});
    const incident = await t.db.knex('engine.incident').where({ process_instance_key: pi.processInstanceKey }).first();
    expect(incident).toMatchObject({ error_type: 'CONDITION_ERROR', element_id: 'split', state: 'ACTIVE' });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('ACTIVE');
    await t.client.createElementInstanceVariables({
      elementInstanceKey: pi.processInstanceKey,
      variables: { approved: false },
    } as never);
    await t.client.resolveIncident({ incidentKey: incident.key });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toContain('rejected');
  });
});

describe('parallel gateway', () => {
  test('forks both branches and joins only when both arrived', async () => {
    const pi = await start('parallel-gateway');
    await completeJobOf('par-b', pi.processInstanceKey);
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_ACTIVATED')).not.toContain('join');
    await completeJobOf('par-a', pi.processInstanceKey);
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toContain('join');
    await completeJobOf('par-after', pi.processInstanceKey);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(
      (await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).filter((e) => e === 'join'),
    ).toHaveLength(1);
  });
});

describe('inclusive gateway', () => {
  test('takes every true branch and joins them', async () => {
    const pi = await start('inclusive-gateway', { services: ['water', 'sewage'] });
    await completeJobOf('inc-water', pi.processInstanceKey);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('ACTIVE');
    await completeJobOf('inc-sewage', pi.processInstanceKey);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
  });

  test('joins a single taken branch without waiting for the others', async () => {
    const pi = await start('inclusive-gateway', { services: ['sewage'] });
    await completeJobOf('inc-sewage', pi.processInstanceKey);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'SEQUENCE_FLOW_TAKEN')).toEqual([
      'f1',
      'fSewage',
      'jSewage',
      'f2',
    ]);
  });

  test('falls back to the default flow', async () => {
    const pi = await start('inclusive-gateway', { services: [] });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toContain('nothing');
  });
});
