import { startTestEngine, rejection, type TestEngine } from '../support/engine.js';

// Creations by process id that arrive while a latest-version lookup is in flight share the next one
// (engine/store/definitions.ts). Each must still get its own process's latest version, an unknown id
// must fail alone, and a version deployed before a creation was sent must be the one it gets.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

const model = (id: string, name: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://aquaflow/test">
  <bpmn:process id="${id}" name="${name}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

async function deploy(id: string, name: string) {
  const d = await t.client.createDeployment({ resources: [new File([model(id, name)], `${id}.bpmn`)] });
  const p = d.processes[0];
  return { key: String(p.processDefinitionKey), version: p.processDefinitionVersion };
}

const create = (id: string) => t.client.createProcessInstance({ processDefinitionId: id as never });

test('a burst of creations of two processes and an unknown one: each its own latest version, the unknown one 404 alone', async () => {
  const a = await deploy('lookup-a', 'A');
  const b = await deploy('lookup-b', 'B');
  const [created, missing] = await Promise.all([
    Promise.all(Array.from({ length: 30 }, (_, n) => create(n % 2 ? 'lookup-a' : 'lookup-b'))),
    rejection(create('lookup-missing')),
  ]);
  for (const [n, c] of created.entries()) {
    expect(String(c.processDefinitionKey)).toBe((n % 2 ? a : b).key);
    expect(c.processDefinitionId).toBe(n % 2 ? 'lookup-a' : 'lookup-b');
  }
  expect(missing.status).toBe(404);
  expect(missing.detail).toContain(`process ID 'lookup-missing'`);
});

test('a version deployed while creations are in flight is the one every later creation gets', async () => {
  const v1 = await deploy('lookup-c', 'C one');
  const before = Array.from({ length: 30 }, () => create('lookup-c'));
  const v2 = await deploy('lookup-c', 'C two');
  expect(v2.version).toBe(v1.version + 1);
  const after = await Promise.all(Array.from({ length: 30 }, () => create('lookup-c')));
  for (const created of after) expect(String(created.processDefinitionKey)).toBe(v2.key);
  // Those sent before the deployment answered may see either version, but nothing else.
  for (const created of await Promise.all(before))
    expect([v1.key, v2.key]).toContain(String(created.processDefinitionKey));
});
