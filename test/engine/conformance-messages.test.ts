import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, eventually, instanceState, rootVariables } from '../support/records.js';

let t: TestEngine;
const NOW = { consistency: { waitUpToMs: 0 } } as never;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('conformance/message-boundary-local.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

describe('Camunda 8.8 conformance: message boundary on a user task', () => {
  test('the correlation key is evaluated after the task’s input mappings; the interrupting message cancels the user task and its variables reach the root', async () => {
    const pi = (
      await t.client.createProcessInstance({
        processDefinitionId: 'conf-message-boundary-local' as never,
        variables: { case: { number: 17 } },
      })
    ).processInstanceKey;
    const task = await eventually(async () => {
      const found = await t.client.searchUserTasks({ filter: { processInstanceKey: pi } } as never, NOW);
      return found.items[0];
    });
    await t.client.correlateMessage({
      name: 'conf-cancel-request',
      correlationKey: 'CASE-17',
      variables: { cancelReason: 'customer' },
    } as never);
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_TERMINATED')).toEqual(['review']);
    expect(await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).toContain('endCancelled');
    const after = await t.client.getUserTask({ userTaskKey: task.userTaskKey }, NOW);
    expect(after.state).toBe('CANCELED');
    const vars = await rootVariables(t.db.knex, pi);
    expect(vars.cancelReason).toBe('customer');
    expect(vars.caseRef).toBeUndefined();
  });
});
