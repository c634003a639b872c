import { startTestEngine, type TestEngine } from '../support/engine.js';

// Zeebe's JobWorkerTaskProcessor.finalizeActivation creates the job (and the boundary subscriptions) before the
// task turns ACTIVATED; termination cancels the job before ELEMENT_TERMINATED.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('conformance/job-fields.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

async function log(piKey: string) {
  const rows = await t.db
    .knex('engine.record')
    .where({ process_instance_key: piKey })
    .orderBy('position')
    .select('value_type', 'intent', 'element_id');
  return rows
    .filter((r) => r.element_id === 'work' && r.value_type !== 'VARIABLE')
    .map((r) => `${r.value_type} ${r.intent}`);
}

describe('Camunda 8.8 conformance: record order of a service task', () => {
  test('JOB CREATED comes between ELEMENT_ACTIVATING and ELEMENT_ACTIVATED; cancel writes JOB CANCELED before ELEMENT_TERMINATED', async () => {
    const pi = (await t.client.createProcessInstance({ processDefinitionId: 'conf-job-fields' as never }))
      .processInstanceKey;
    await t.client.cancelProcessInstance({ processInstanceKey: pi });
    expect(await log(pi)).toEqual([
      'PROCESS_INSTANCE ELEMENT_ACTIVATING',
      'JOB CREATED',
      'PROCESS_INSTANCE ELEMENT_ACTIVATED',
      'PROCESS_INSTANCE ELEMENT_TERMINATING',
      'JOB CANCELED',
      'PROCESS_INSTANCE ELEMENT_TERMINATED',
    ]);
  });
});
