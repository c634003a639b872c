import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState } from '../support/records.js';
import { activeJob } from '../support/events.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('link-events.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

async function lifecycle(piKey: string, ids: string[]) {
  const rows = await t.db
    .knex('engine.record')
    .where({ process_instance_key: piKey, value_type: 'PROCESS_INSTANCE' })
    .whereIn('element_id', ids)
    .orderBy('position')
    .select('intent', 'element_id', 'element_type', 'value');
  return rows.map((r) => `${r.element_id} ${r.element_type} ${r.value.bpmnEventType} ${r.intent}`);
}

describe('link events', () => {
  test('a throw link continues at the catch link of the same name: records as Zeebe writes them, no flow between', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'link-events' as never,
      variables: { path: 'a' },
    });
    const key = pi.processInstanceKey;
    expect(await lifecycle(key, ['toA', 'atA'])).toEqual([
      'toA INTERMEDIATE_THROW_EVENT LINK ELEMENT_ACTIVATING',
      'toA INTERMEDIATE_THROW_EVENT LINK ELEMENT_ACTIVATED',
      'toA INTERMEDIATE_THROW_EVENT LINK ELEMENT_COMPLETING',
      'toA INTERMEDIATE_THROW_EVENT LINK ELEMENT_COMPLETED',
      'atA INTERMEDIATE_CATCH_EVENT LINK ELEMENT_ACTIVATING',
      'atA INTERMEDIATE_CATCH_EVENT LINK ELEMENT_ACTIVATED',
      'atA INTERMEDIATE_CATCH_EVENT LINK ELEMENT_COMPLETING',
      'atA INTERMEDIATE_CATCH_EVENT LINK ELEMENT_COMPLETED',
    ]);
    expect(await elementsWith(t.db.knex, key, 'SEQUENCE_FLOW_TAKEN')).toEqual(['f1', 'f3', 'f4']);
    const job = await activeJob(t, 'link-a', key);
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'route',
      'toA',
      'atA',
      'workA',
      'endA',
      'link-events',
    ]);
  });

  test('a link pairs within its own flow scope: the sub-process link A stays inside the sub-process', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'link-events' as never,
      variables: { path: 'b' },
    });
    const key = pi.processInstanceKey;
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'route',
      'toB',
      'atB',
      'spStart',
      'spThrow',
      'spCatch',
      'spEnd',
      'sp',
      'endB',
      'link-events',
    ]);
    const { rows } = await t.db.knex.raw(
      `SELECT c.flow_scope_key = s.key AS inside FROM engine.element_instance c, engine.element_instance s
        WHERE c.process_instance_key = ? AND c.element_id = 'spCatch' AND s.process_instance_key = c.process_instance_key AND s.element_id = 'sp'`,
      [key],
    );
    expect(rows).toEqual([{ inside: true }]);
  });
});
