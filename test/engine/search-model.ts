/** A small repair model for the query-side scenario tests: start form, service task, user task with form. */
export const REPAIR_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="search-repair" name="Search repair" isExecutable="true">
    <bpmn:startEvent id="start" name="Reported">
      <bpmn:extensionElements><zeebe:formDefinition formId="search-intake" /></bpmn:extensionElements>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="to-check" sourceRef="start" targetRef="check" />
    <bpmn:serviceTask id="check" name="Check meter">
      <bpmn:extensionElements><zeebe:taskDefinition type="search-check" retries="1" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="to-approve" sourceRef="check" targetRef="approve" />
    <bpmn:userTask id="approve" name="Approve repair">
      <bpmn:extensionElements>
        <zeebe:userTask />
        <zeebe:formDefinition formId="search-approval" />
        <zeebe:assignmentDefinition candidateGroups="clerk, engineer" />
        <zeebe:taskSchedule dueDate="=due" />
        <zeebe:priorityDefinition priority="=70" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="to-end" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" name="Done" />
  </bpmn:process>
</bpmn:definitions>`;

const form = (id: string) =>
  JSON.stringify({
    id,
    type: 'default',
    schemaVersion: 16,
    components: [{ key: 'note', type: 'textfield', label: 'Note' }],
  });

export function repairResources(): File[] {
  return [
    new File([REPAIR_BPMN], 'search-repair.bpmn', { type: 'application/xml' }),
    new File([form('search-intake')], 'search-intake.form', { type: 'application/json' }),
    new File([form('search-approval')], 'search-approval.form', { type: 'application/json' }),
  ];
}
