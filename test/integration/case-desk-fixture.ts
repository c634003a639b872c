import type { Knex } from 'knex';
import type { TestAquaflow } from '../support/aquaflow.js';

/**
 * A stand-in `new-connection` model for the front-desk tests: 勘察 (stage survey, engineers) → a call activity
 * (stage construction) whose called process's own task is tagged contract → end. It tests how stages are read,
 * independent of the real model (processes/cases) and its workers; deployed over it as the latest version.
 */
export const STAGE_MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://aquaflow.test">
  <bpmn:process id="new-connection" name="新装（测试）" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="survey" name="现场勘察">
      <bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="engineer" />
        <zeebe:properties><zeebe:property name="stage" value="survey" /></zeebe:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:callActivity id="works" name="施工">
      <bpmn:extensionElements><zeebe:calledElement processId="case-desk-test-child" propagateAllChildVariables="false" />
        <zeebe:properties><zeebe:property name="stage" value="construction" /></zeebe:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:callActivity>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="survey" />
    <bpmn:sequenceFlow id="f2" sourceRef="survey" targetRef="works" />
    <bpmn:sequenceFlow id="f3" sourceRef="works" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

export const CHILD_MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d2" targetNamespace="http://aquaflow.test">
  <bpmn:process id="case-desk-test-child" name="签约（测试）" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="sign" name="签订供水合同">
      <bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="clerk" />
        <zeebe:properties><zeebe:property name="stage" value="contract" /></zeebe:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sign" />
    <bpmn:sequenceFlow id="f2" sourceRef="sign" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** Deploys the stand-in models (as admin) so POST /api/business-cases starts them. */
export async function deployStageModels(t: TestAquaflow): Promise<void> {
  const client = t.client('admin');
  await client.createDeployment({
    resources: [
      new File([CHILD_MODEL], 'case-desk-test-child.bpmn', { type: 'application/xml' }),
      new File([STAGE_MODEL], 'case-desk-new-connection.bpmn', { type: 'application/xml' }),
    ],
  } as never);
}

/** A street some meter book serves (the intake refuses any other), with a free room number each call. */
let room = 100;
export async function servedPremise(knex: Knex) {
  const area = await knex('cis.meter_book_areas').orderBy(['district', 'street']).first('district', 'street');
  if (!area) throw new Error('no meter-book area: the test app needs demo accounts');
  return {
    district: area.district as string,
    street: area.street as string,
    community: '和平小区',
    building: '8栋',
    unit: '2单元',
    room: `${room++}室`,
  };
}
