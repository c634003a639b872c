import fs from 'node:fs';
import path from 'node:path';
import { READ } from '../../server/camunda/consistency.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// Issue #20, guard before damage: /api/processes refuses a diagram that cannot end or does no work (whoever skips
// the modeler's dialog), says so in the lint too, and lets a manager delete a test/draft process — never a
// production one, never one with a running instance.
let t: TestAquaflow;
let manager: ApiSession;

const diagram = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://aquaflow.example/processes">
  <bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
const START_ONLY = diagram('test-start-only', '<bpmn:startEvent id="start" />');
const NO_WORK = diagram(
  'draft-no-work',
  '<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" /><bpmn:endEvent id="end" />',
);
const WITH_TASK = (id: string) =>
  diagram(
    id,
    `<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:userTask id="wait"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" /><bpmn:endEvent id="end" />`,
  );

async function versionsOf(id: string): Promise<Array<{ processDefinitionKey: string; version: number }>> {
  const r = await manager.call('GET', '/api/processes');
  return (r.body.items as Array<{ processDefinitionId: string; processDefinitionKey: string; version: number }>).filter(
    (d) => d.processDefinitionId === id,
  );
}

beforeAll(async () => {
  t = await startTestAquaflow();
  manager = await t.signIn('manager');
}, 120000);
afterAll(async () => {
  await t?.stop();
});

test('a diagram holding only a start event is refused with 422 naming both problems, and nothing is deployed', async () => {
  const r = await manager.call('POST', '/api/processes/deployments', { name: 'test-start-only.bpmn', xml: START_ONLY });
  expect(r.status).toBe(422);
  expect(r.body).toMatchObject({ code: 'process_check' });
  expect(r.body.detail).toContain("process 'test-start-only'");
  expect(r.body.problems).toEqual([
    expect.objectContaining({ elementId: 'test-start-only', code: 'noEndEvent', category: 'error' }),
    expect.objectContaining({ elementId: 'test-start-only', code: 'noWork', category: 'error' }),
  ]);
  expect(await versionsOf('test-start-only')).toEqual([]);
  // The engine itself has no version either (the official client's definition search).
  const found = await t
    .client()
    .searchProcessDefinitions({ filter: { processDefinitionId: 'test-start-only' } } as never, READ);
  expect(found.items).toEqual([]);
});

test('events and gateways only is "no work"; the lint says the same as the refusal, beside bpmnlint', async () => {
  const r = await manager.call('POST', '/api/processes/deployments', { name: 'draft-no-work.bpmn', xml: NO_WORK });
  expect(r.status).toBe(422);
  expect((r.body.problems as Array<{ code: string }>).map((p) => p.code)).toEqual(['noWork']);
  const lint = await manager.call('POST', '/api/processes/lint', { xml: START_ONLY });
  const ours = (lint.body.problems as Array<{ code?: string }>).filter((p) => p.code);
  expect(ours.map((p) => p.code)).toEqual(['noEndEvent', 'noWork']);
  expect(await versionsOf('draft-no-work')).toEqual([]);
});

test('every production process of processes/ passes the check (its version stays deployable)', async () => {
  const xml = fs.readFileSync(path.resolve('processes/demo/service-request.bpmn'), 'utf8');
  const lint = await manager.call('POST', '/api/processes/lint', { xml });
  expect((lint.body.problems as Array<{ code?: string }>).filter((p) => p.code)).toEqual([]);
  const r = await manager.call('POST', '/api/processes/deployments', { name: 'service-request.bpmn', xml });
  expect(r.status).toBe(201);
});

test('a manager deletes a test process without running instances; production and running ones stay', async () => {
  const deployed = await manager.call('POST', '/api/processes/deployments', {
    name: 'test-wait.bpmn',
    xml: WITH_TASK('test-wait'),
  });
  expect(deployed.status).toBe(201);
  const [v1] = await versionsOf('test-wait');
  expect(v1.version).toBe(1);

  const running = await t.client().createProcessInstance({ processDefinitionKey: v1.processDefinitionKey as never });
  expect((await manager.call('DELETE', `/api/processes/${v1.processDefinitionKey}`)).status).toBe(409);
  expect(await versionsOf('test-wait')).toHaveLength(1);
  await t.client().cancelProcessInstance({ processInstanceKey: running.processInstanceKey });

  const clerk = await t.signIn('clerk');
  expect((await clerk.call('DELETE', `/api/processes/${v1.processDefinitionKey}`)).status).toBe(403);
  expect((await manager.call('DELETE', `/api/processes/${v1.processDefinitionKey}`)).status).toBe(204);
  expect(await versionsOf('test-wait')).toEqual([]);

  const [production] = await versionsOf('service-request');
  const refused = await manager.call('DELETE', `/api/processes/${production.processDefinitionKey}`);
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ code: 'not_draft' });
  expect(await versionsOf('service-request')).not.toEqual([]);
});
