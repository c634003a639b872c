import { stageMap } from './case-stage.js';

const model = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
const stage = (v: string) =>
  `<bpmn:extensionElements><zeebe:properties><zeebe:property name="stage" value="${v}" /></zeebe:properties></bpmn:extensionElements>`;

describe('stageMap', () => {
  test('reads each element’s stage property; untagged elements have none', async () => {
    const map = await stageMap(
      model(`<bpmn:userTask id="survey">${stage('survey')}</bpmn:userTask>
        <bpmn:serviceTask id="record" />
        <bpmn:userTask id="approve">
          <bpmn:extensionElements><zeebe:properties><zeebe:property name="owner" value="x" />
            <zeebe:property name="stage" value="approval" /></zeebe:properties></bpmn:extensionElements>
        </bpmn:userTask>`),
    );
    expect(Object.fromEntries(map)).toEqual({ survey: 'survey', approve: 'approval' });
  });

  test('elements inside a tagged sub-process inherit its stage unless they carry their own', async () => {
    const map = await stageMap(
      model(`<bpmn:subProcess id="design">${stage('design')}
          <bpmn:userTask id="drawings" />
          <bpmn:userTask id="budget">${stage('approval')}</bpmn:userTask>
        </bpmn:subProcess>`),
    );
    expect(Object.fromEntries(map)).toEqual({ design: 'design', drawings: 'design', budget: 'approval' });
  });

  test('a value outside the stage vocabulary is ignored, never shown', async () => {
    const map = await stageMap(model(`<bpmn:userTask id="x">${stage('secret-step')}</bpmn:userTask>`));
    expect(map.size).toBe(0);
  });

  test('stages come in the flow’s order, not the vocabulary’s: an inspection meets approval and fees after it', async () => {
    const map = await stageMap(
      model(`<bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
        <bpmn:userTask id="inspect">${stage('inspection')}<bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
        <bpmn:boundaryEvent id="late" attachedToRef="inspect" cancelActivity="false"><bpmn:outgoing>f4</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:userTask id="approve">${stage('approval')}<bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
        <bpmn:serviceTask id="charge">${stage('fees')}<bpmn:incoming>f3</bpmn:incoming></bpmn:serviceTask>
        <bpmn:serviceTask id="escalate">${stage('inspection')}<bpmn:incoming>f4</bpmn:incoming></bpmn:serviceTask>
        <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="inspect" />
        <bpmn:sequenceFlow id="f2" sourceRef="inspect" targetRef="approve" />
        <bpmn:sequenceFlow id="f3" sourceRef="approve" targetRef="charge" />
        <bpmn:sequenceFlow id="f4" sourceRef="late" targetRef="escalate" />`),
    );
    expect([...new Set(map.values())]).toEqual(['inspection', 'approval', 'fees']);
  });
});
