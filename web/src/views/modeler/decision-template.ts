/**
 * A new decision: one decision table (hit policy UNIQUE) with one input, one output and one rule, shown on the
 * DRD — a model that deploys and evaluates as it is, for the manager to rename and fill in.
 */
export const NEW_DECISION = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="new-decision-requirements" name="new-decision-requirements" namespace="http://aquaflow.example/decisions" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <decision id="new-decision" name="new-decision">
    <decisionTable id="new-decision-table" hitPolicy="UNIQUE">
      <input id="input1" label="amount">
        <inputExpression id="input1-expression" typeRef="number">
          <text>amount</text>
        </inputExpression>
      </input>
      <output id="output1" label="result" name="result" typeRef="string" />
      <rule id="rule1">
        <inputEntry id="rule1-input1">
          <text>&gt; 100</text>
        </inputEntry>
        <outputEntry id="rule1-output1">
          <text>"high"</text>
        </outputEntry>
      </rule>
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="new-decision-drd">
      <dmndi:DMNShape id="new-decision-shape" dmnElementRef="new-decision">
        <dc:Bounds height="80" width="180" x="160" y="100" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
