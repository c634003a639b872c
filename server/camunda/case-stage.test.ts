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
});
