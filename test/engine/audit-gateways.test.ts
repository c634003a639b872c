import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState } from '../support/records.js';

// Camunda 8.8 docs, BPMN › Exclusive gateway / Inclusive gateway: "If none of the conditions is fulfilled and no
// default flow is defined, an incident is created"; conditions must evaluate to a boolean (Zeebe's
// ExpressionProcessor messages); Components › Incidents: error type CONDITION_ERROR.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('audit-gateways.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

const start = async (id: string, variables: Record<string, unknown>) =>
  (await t.client.createProcessInstance({ processDefinitionId: id as never, variables })).processInstanceKey;
const incidentOf = (pi: string) => t.db.knex('engine.incident').where({ process_instance_key: pi }).first();

describe('Camunda 8.8 conformance: gateway conditions', () => {
  test('exclusive: a condition that is not a boolean is an incident, even when a later flow would be taken', async () => {
    const pi = await start('audit-xor', { amount: 5 });
    const incident = await incidentOf(pi);
    expect(incident).toMatchObject({ error_type: 'CONDITION_ERROR', element_id: 'split', state: 'ACTIVE' });
    expect(incident.error_message).toBe(
      "Expected result of the expression 'amount' to be 'BOOLEAN', but was 'NUMBER'.",
    );
    const api = await t.client.getIncident(
      { incidentKey: incident.key } as never,
      {
        consistency: { waitUpToMs: 0 },
      } as never,
    );
    expect(api).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'split', state: 'ACTIVE' });
    await t.client.createElementInstanceVariables({ elementInstanceKey: pi, variables: { amount: false } } as never);
    await t.client.resolveIncident({ incidentKey: incident.key });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).toContain('endSecond');
  });

  test('inclusive: no true condition and no default flow is an incident with Zeebe’s message', async () => {
    const pi = await start('audit-or', { x: 0 });
    const incident = await incidentOf(pi);
    expect(incident).toMatchObject({ error_type: 'CONDITION_ERROR', element_id: 'fork', state: 'ACTIVE' });
    expect(incident.error_message).toBe(
      'Expected at least one condition to evaluate to true, or to have a default flow',
    );
    await t.client.createElementInstanceVariables({ elementInstanceKey: pi, variables: { x: 3 } } as never);
    await t.client.resolveIncident({ incidentKey: incident.key });
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect((await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).sort()).toEqual(
      ['audit-or', 'endA', 'endB', 'fork', 'start2'].sort(),
    );
  });
});
