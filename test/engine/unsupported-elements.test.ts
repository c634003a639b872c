import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';

// Zeebe 8.8 rejects elements it does not execute, and link events that do not pair up, naming the
// element; nothing of the file is deployed.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="unsupported" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ev" />
    ${body}
    <bpmn:sequenceFlow id="f2" sourceRef="ev" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const cond =
  '<bpmn:conditionalEventDefinition><bpmn:condition>=x &gt; 1</bpmn:condition></bpmn:conditionalEventDefinition>';

describe('deploying what Zeebe 8.8 does not support is rejected naming the element', () => {
  test.each([
    [
      'a conditional intermediate catch event',
      `<bpmn:intermediateCatchEvent id="ev">${cond}</bpmn:intermediateCatchEvent>`,
      'ev',
      'conditional',
    ],
    [
      'a conditional boundary event',
      `<bpmn:task id="ev" /><bpmn:boundaryEvent id="cb" attachedToRef="ev">${cond}</bpmn:boundaryEvent><bpmn:sequenceFlow id="f3" sourceRef="cb" targetRef="end" />`,
      'cb',
      'conditional',
    ],
    [
      'a conditional start event of an event sub-process',
      `<bpmn:task id="ev" /><bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="cs">${cond}</bpmn:startEvent><bpmn:sequenceFlow id="e1" sourceRef="cs" targetRef="ee" /><bpmn:endEvent id="ee" /></bpmn:subProcess>`,
      'cs',
      'not supported',
    ],
    [
      'a transaction sub-process',
      `<bpmn:transaction id="ev"><bpmn:startEvent id="ts" /><bpmn:sequenceFlow id="t1" sourceRef="ts" targetRef="te" /><bpmn:endEvent id="te" /></bpmn:transaction>`,
      'ev',
      'Transaction',
    ],
    ['a complex gateway', `<bpmn:complexGateway id="ev" />`, 'ev', 'ComplexGateway'],
    [
      'a cancel end event',
      `<bpmn:task id="ev" /><bpmn:endEvent id="ce"><bpmn:cancelEventDefinition /></bpmn:endEvent>`,
      'ce',
      'not supported',
    ],
    [
      'a throw link without a catch link of its name in its scope',
      `<bpmn:task id="ev" /><bpmn:intermediateThrowEvent id="lt"><bpmn:linkEventDefinition name="L1" /></bpmn:intermediateThrowEvent><bpmn:intermediateCatchEvent id="lc"><bpmn:linkEventDefinition name="L2" /></bpmn:intermediateCatchEvent><bpmn:sequenceFlow id="l1" sourceRef="lc" targetRef="ev" />`,
      'lt',
      'must appear in pairs',
    ],
    [
      'a link whose catch lives in another scope',
      `<bpmn:intermediateThrowEvent id="ev"><bpmn:linkEventDefinition name="L" /></bpmn:intermediateThrowEvent><bpmn:subProcess id="sp"><bpmn:startEvent id="ss" /><bpmn:intermediateCatchEvent id="lc"><bpmn:linkEventDefinition name="L" /></bpmn:intermediateCatchEvent><bpmn:sequenceFlow id="l1" sourceRef="lc" targetRef="se" /><bpmn:endEvent id="se" /></bpmn:subProcess>`,
      'ev',
      'must appear in pairs',
    ],
    [
      'two catch links of one name in one scope',
      `<bpmn:task id="ev" /><bpmn:intermediateCatchEvent id="c1"><bpmn:linkEventDefinition name="L" /></bpmn:intermediateCatchEvent><bpmn:intermediateCatchEvent id="c2"><bpmn:linkEventDefinition name="L" /></bpmn:intermediateCatchEvent><bpmn:sequenceFlow id="l1" sourceRef="c1" targetRef="ev" /><bpmn:sequenceFlow id="l2" sourceRef="c2" targetRef="ev" />`,
      'c2',
      "same name 'L' are not allowed",
    ],
    [
      'a link without a name',
      `<bpmn:task id="ev" /><bpmn:intermediateCatchEvent id="lc"><bpmn:linkEventDefinition /></bpmn:intermediateCatchEvent><bpmn:sequenceFlow id="l1" sourceRef="lc" targetRef="ev" />`,
      'lc',
      'Link name must be present and not empty.',
    ],
  ])('%s', async (_what, body, elementId, text) => {
    const file = new File([xml(body)], 'unsupported.bpmn');
    const err = await rejection(t.client.createDeployment({ resources: [file] }));
    expect(err.status).toBe(400);
    expect(err.detail).toContain('unsupported.bpmn');
    expect(err.detail).toContain(`Element: ${elementId}\n`);
    expect(err.detail).toContain(text);
    const stored = await t.db
      .knex('engine.process_definition')
      .where({ bpmn_process_id: 'unsupported' })
      .count('* as n');
    expect(Number(stored[0].n)).toBe(0);
  });
});
