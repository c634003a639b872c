import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState, rootVariables } from '../support/records.js';

let t: TestEngine;
const NOW = { consistency: { waitUpToMs: 0 } } as never;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy(
    'conformance/inclusive-default.bpmn',
    'conformance/exclusive-values.bpmn',
    'conformance/mi-sequential-condition.bpmn',
  );
});
afterAll(async () => {
  await t?.stop();
});

const start = async (id: string, variables: Record<string, unknown> = {}) =>
  (await t.client.createProcessInstance({ processDefinitionId: id as never, variables })).processInstanceKey;

describe('Camunda 8.8 conformance: more gateways and multi-instance', () => {
  test.each([
    [{ amount: 5000 }, ['a', 'b']],
    [{ amount: 500 }, ['a']],
    [{ amount: 5 }, ['none']],
  ])('inclusive fork takes every true condition, the default only when none is true: %j', async (vars, ends) => {
    const pi = await start('conf-inclusive-default', vars);
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const done = (await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).filter((id) =>
      ['a', 'b', 'none'].includes(id),
    );
    expect(done.sort()).toEqual(ends);
  });

  test('a condition that fails raises an incident on the gateway; after fixing the variable, resolution takes the flow', async () => {
    // `amount >= 100` with amount a string cannot be compared: FEEL yields null and the condition is not boolean
    const pi = await start('conf-exclusive-values', { status: 'gold', amount: 'lots' });
    expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');
    const incident = (await t.client.searchIncidents({ filter: { processInstanceKey: pi } } as never, NOW)).items![0]!;
    expect(incident).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'split', state: 'ACTIVE' });
    await t.client.createElementInstanceVariables({
      elementInstanceKey: pi,
      variables: { amount: 150 },
    } as never);
    await t.client.resolveIncident({ incidentKey: incident.incidentKey! });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).toContain('gold');
  });

  test('sequential multi-instance stops at the completion condition; the output collection keeps nulls for skipped items', async () => {
    const pi = await start('conf-mi-seq', { suppliers: ['s1', 's2', 's3'] });
    const answers = ['no', 'yes'];
    for (const answer of answers) {
      const { jobs } = await t.client.activateJobs({
        type: 'conf-mi-try',
        maxJobsToActivate: 5,
        timeout: 30000,
        worker: 'conformance',
        requestTimeout: 2000,
      } as never);
      const mine = jobs.filter((j) => j.processInstanceKey === pi);
      expect(mine).toHaveLength(1);
      await t.client.completeJob({ jobKey: mine[0]!.jobKey, variables: { answer } });
    }
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    const vars = await rootVariables(t.db.knex, pi);
    expect(vars.answers).toEqual(['no', 'yes', null]);
  });
});
