/** Hand-made DMN and BPMN models for the DMN scenario tests (dmn-*.test.ts). */

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export interface Table {
  id: string;
  name?: string;
  hitPolicy?: string;
  aggregation?: string;
  inputs: string[];
  outputs: Array<{ name: string; values?: string }>;
  /** Each rule: input entries, then output entries. */
  rules: Array<[string[], string[]]>;
  requires?: string[];
}

export function tableXml(t: Table): string {
  const hit = t.hitPolicy ? ` hitPolicy="${t.hitPolicy}"` : '';
  const agg = t.aggregation ? ` aggregation="${t.aggregation}"` : '';
  return `<decision id="${t.id}" name="${t.name ?? t.id}">
    ${(t.requires ?? []).map((r) => `<informationRequirement id="ir_${t.id}_${r}"><requiredDecision href="#${r}"/></informationRequirement>`).join('')}
    <decisionTable id="${t.id}_table"${hit}${agg}>
      ${t.inputs.map((e, i) => `<input id="${t.id}_in${i + 1}" label="${esc(e)}"><inputExpression id="${t.id}_ie${i + 1}"><text>${esc(e)}</text></inputExpression></input>`).join('\n      ')}
      ${t.outputs.map((o, i) => `<output id="${t.id}_out${i + 1}" name="${o.name}">${o.values ? `<outputValues id="${t.id}_ov${i + 1}"><text>${esc(o.values)}</text></outputValues>` : ''}</output>`).join('\n      ')}
      ${t.rules
        .map(
          ([ins, outs], r) => `<rule id="${t.id}_r${r + 1}">
        ${ins.map((e, i) => `<inputEntry id="${t.id}_r${r + 1}_i${i + 1}"><text>${esc(e)}</text></inputEntry>`).join('')}
        ${outs.map((e, i) => `<outputEntry id="${t.id}_r${r + 1}_o${i + 1}"><text>${esc(e)}</text></outputEntry>`).join('')}
      </rule>`,
        )
        .join('\n      ')}
    </decisionTable>
  </decision>`;
}

export function literalXml(
  id: string,
  text: string,
  requires: string[] = [],
  versionTag?: string,
  typeRef?: string,
): string {
  return `<decision id="${id}" name="${id}">
    ${versionTag ? `<extensionElements><zeebe:versionTag value="${versionTag}"/></extensionElements>` : ''}
    ${requires.map((r) => `<informationRequirement id="ir_${id}_${r}"><requiredDecision href="#${r}"/></informationRequirement>`).join('')}
    <variable id="${id}_var" name="${id}"${typeRef ? ` typeRef="${typeRef}"` : ''}/>
    <literalExpression id="${id}_le"><text>${esc(text)}</text></literalExpression>
  </decision>`;
}

export function dmn(id: string, ...decisions: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${id}" name="${id} graph" namespace="http://aquaflow/dmn">
  ${decisions.join('\n  ')}
</definitions>`;
}

/** start → business-rule task (zeebe:calledDecision) → service task `after-decision` (waits) → end. */
export function ruleTaskProcess(processId: string, decisionId: string, resultVariable: string, binding = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d_${processId}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:businessRuleTask id="decide" name="Decide">
      <bpmn:extensionElements>
        <zeebe:calledDecision decisionId="${decisionId}" resultVariable="${resultVariable}"${binding} />
      </bpmn:extensionElements>
    </bpmn:businessRuleTask>
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="after" />
    <bpmn:serviceTask id="after">
      <bpmn:extensionElements><zeebe:taskDefinition type="after-decision" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** A business-rule task that is a job (zeebe:taskDefinition), as before DMN support. */
export function jobRuleTaskProcess(processId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d_${processId}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:businessRuleTask id="decide">
      <bpmn:extensionElements><zeebe:taskDefinition type="rule-worker" /></bpmn:extensionElements>
    </bpmn:businessRuleTask>
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
}

export const file = (name: string, text: string) =>
  new File([text], name, { type: name.endsWith('.dmn') || name.endsWith('.bpmn') ? 'application/xml' : 'text/plain' });
