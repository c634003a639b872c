import { startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';

// Zeebe takes FEEL string literals that span lines (feel-scala #715): the AI Agent connector's default system
// prompt is one, so a model keeping it must deploy and pass the text on with its line breaks.
const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="multiline-prompt" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="set" />
    <bpmn:scriptTask id="set">
      <bpmn:extensionElements>
        <zeebe:script expression="=&quot;You are a billing assistant.&#10;Answer in Chinese.&#10;Customer: &quot; + name" resultVariable="prompt" />
      </bpmn:extensionElements>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="set" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

test('a string literal spanning lines deploys and keeps its line breaks', async () => {
  await t.client.createDeployment({
    resources: [new File([MODEL], 'multiline-prompt.bpmn', { type: 'application/xml' })],
  });
  const { processInstanceKey } = await t.client.createProcessInstance({
    processDefinitionId: 'multiline-prompt' as never,
    variables: { name: '王芳' },
  });
  expect(await instanceState(t.db.knex, processInstanceKey)).toBe('COMPLETED');
  expect((await rootVariables(t.db.knex, processInstanceKey)).prompt).toBe(
    'You are a billing assistant.\nAnswer in Chinese.\nCustomer: 王芳',
  );
});
