import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { rootVariables } from '../support/records.js';
import { dmn, file, literalXml, ruleTaskProcess, tableXml } from './dmn-models.js';

/**
 * DMN deployment (Camunda 8.8: a .dmn resource is a decision requirements graph and its decisions, versioned per
 * id; identical content keeps version and key; one invalid resource rejects the whole deployment) and the read
 * side the client offers: decision definitions, their XML, decision requirements, decision instances.
 */
let t: TestEngine;
const now = { consistency: { waitUpToMs: 0 } } as never;

const graph = (discount: string) =>
  dmn(
    'discounts',
    tableXml({
      id: 'discount',
      name: 'Discount',
      inputs: ['years'],
      outputs: [{ name: 'discount' }],
      rules: [
        [['< 5'], ['0']],
        [['>= 5'], [discount]],
      ],
    }),
    literalXml('greeting', '"Dear " + name', [], 'v1'),
  );

beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
});

describe('deployment', () => {
  test('a .dmn lists its decision requirements and decisions; identical keeps versions; changed gets n+1', async () => {
    const first = await t.client.createDeployment({ resources: [file('discounts.dmn', graph('0.05'))] });
    expect(first.decisionRequirements).toEqual([
      expect.objectContaining({
        decisionRequirementsId: 'discounts',
        decisionRequirementsName: 'discounts graph',
        version: 1,
        resourceName: 'discounts.dmn',
        tenantId: '<default>',
      }),
    ]);
    expect(first.decisions.map((d) => [d.decisionDefinitionId, d.name, d.version, d.decisionRequirementsId])).toEqual([
      ['discount', 'Discount', 1, 'discounts'],
      ['greeting', 'greeting', 1, 'discounts'],
    ]);
    expect(first.decisions[0].decisionRequirementsKey).toBe(first.decisionRequirements[0].decisionRequirementsKey);

    const again = await t.client.createDeployment({ resources: [file('discounts.dmn', graph('0.05'))] });
    expect(again.decisions.map((d) => d.decisionDefinitionKey)).toEqual(
      first.decisions.map((d) => d.decisionDefinitionKey),
    );
    expect(again.decisionRequirements[0].version).toBe(1);

    const changed = await t.client.createDeployment({ resources: [file('discounts.dmn', graph('0.1'))] });
    expect(changed.decisionRequirements[0].version).toBe(2);
    expect(changed.decisions.map((d) => d.version)).toEqual([2, 2]);
  });

  test.each([
    ['broken.dmn', '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="x"><decision', ''],
    ['dangling.dmn', dmn('dangling', literalXml('needs', '1', ['absent'])), "required decision 'absent'"],
    [
      'bad-feel.dmn',
      dmn('bad-feel', tableXml({ id: 'bad', inputs: ['x'], outputs: [{ name: 'y' }], rules: [[['> 1 +'], ['1']]] })),
      "failed to parse expression '> 1 +'",
    ],
    ['bad-literal.dmn', dmn('bad-literal', literalXml('worse', '1 +* 2')), "failed to parse expression '1 +* 2'"],
  ])('%s is rejected naming the file; the BPMN beside it is not stored either', async (name, xml, text) => {
    const err = await rejection(
      t.client.createDeployment({
        resources: [file(name, xml), file('beside.bpmn', ruleTaskProcess('beside-dmn', 'discount', 'd'))],
      }),
    );
    expect(err.status).toBe(400);
    expect(err.detail).toContain(name);
    expect(err.detail).toContain(text);
    expect(await t.db.knex('engine.process_definition').where({ bpmn_process_id: 'beside-dmn' })).toHaveLength(0);
  });

  test('two resources of a deployment with one decision id are rejected', async () => {
    const err = await rejection(
      t.client.createDeployment({
        resources: [
          file('a.dmn', dmn('a-graph', literalXml('twice', '1'))),
          file('b.dmn', dmn('b-graph', literalXml('twice', '2'))),
        ],
      }),
    );
    expect(err.status).toBe(400);
    expect(err.detail).toContain("duplicated id 'twice'");
  });
  test.each([
    [
      'both',
      '<zeebe:calledDecision decisionId="d" resultVariable="r" /><zeebe:taskDefinition type="t" />',
      'exactly one',
    ],
    ['neither', '', 'exactly one'],
    ['no-result', '<zeebe:calledDecision decisionId="d" />', "'resultVariable'"],
    ['bad-binding', '<zeebe:calledDecision decisionId="d" resultVariable="r" bindingType="newest" />', "'bindingType'"],
  ])('a business-rule task with %s is rejected naming the element', async (name, extensions, text) => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
  <bpmn:process id="brt-${name}" isExecutable="true">
    <bpmn:startEvent id="start" /><bpmn:sequenceFlow id="f" sourceRef="start" targetRef="rule" />
    <bpmn:businessRuleTask id="rule"><bpmn:extensionElements>${extensions}</bpmn:extensionElements></bpmn:businessRuleTask>
  </bpmn:process>
</bpmn:definitions>`;
    const err = await rejection(t.client.createDeployment({ resources: [file(`brt-${name}.bpmn`, xml)] }));
    expect(err.status).toBe(400);
    expect(err.detail).toContain('rule');
    expect(err.detail).toContain(text);
  });
});

describe('read side', () => {
  test('decision definitions: search, get, XML', async () => {
    const { items } = await t.client.searchDecisionDefinitions(
      { filter: { decisionDefinitionId: 'discount' }, sort: [{ field: 'version', order: 'DESC' }] } as never,
      now,
    );
    expect(items!.map((d) => d.version)).toEqual([2, 1]);
    const got = await t.client.getDecisionDefinition({ decisionDefinitionKey: items![0].decisionDefinitionKey! }, now);
    expect(got).toEqual(items![0]);
    expect(got).toMatchObject({ name: 'Discount', decisionRequirementsId: 'discounts', tenantId: '<default>' });
    const xml = await t.client.getDecisionDefinitionXml({ decisionDefinitionKey: got.decisionDefinitionKey! }, now);
    expect(String(xml)).toContain('<decision id="discount"');
    const missing = await rejection(t.client.getDecisionDefinition({ decisionDefinitionKey: '1' } as never, now));
    expect(missing.status).toBe(404);
  });

  test('decision requirements: search, get, XML', async () => {
    const { items } = await t.client.searchDecisionRequirements(
      { filter: { decisionRequirementsId: 'discounts', version: 2 } } as never,
      now,
    );
    expect(items).toHaveLength(1);
    expect(items![0]).toMatchObject({ decisionRequirementsName: 'discounts graph', resourceName: 'discounts.dmn' });
    const got = await t.client.getDecisionRequirements(
      { decisionRequirementsKey: items![0].decisionRequirementsKey! },
      now,
    );
    expect(got).toEqual(items![0]);
    const xml = await t.client.getDecisionRequirementsXml(
      { decisionRequirementsKey: got.decisionRequirementsKey! },
      now,
    );
    expect(String(xml)).toContain('id="discounts"');
  });

  test('decision instances: search by definition and state; get with evaluated inputs and matched rules', async () => {
    const evaluation = await t.client.evaluateDecision({
      decisionDefinitionId: 'discount',
      variables: { years: 7 },
    } as never);
    const { items } = await t.client.searchDecisionInstances(
      { filter: { decisionEvaluationKey: evaluation.decisionEvaluationKey, state: 'EVALUATED' } } as never,
      now,
    );
    expect(items).toHaveLength(1);
    expect(items![0]).toMatchObject({
      decisionDefinitionId: 'discount',
      decisionDefinitionName: 'Discount',
      decisionDefinitionVersion: 2,
      decisionDefinitionType: 'DECISION_TABLE',
      result: '0.1',
      state: 'EVALUATED',
    });
    expect(items![0].processInstanceKey).toBeUndefined();
    const records = await t.db.knex('engine.record').where({
      key: evaluation.decisionEvaluationKey,
      value_type: 'DECISION_EVALUATION',
    });
    expect(records.map((r) => [r.intent, r.value.decisionId])).toEqual([['EVALUATED', 'discount']]);
    const got = await t.client.getDecisionInstance(
      { decisionEvaluationInstanceKey: items![0].decisionEvaluationInstanceKey! },
      now,
    );
    expect(got.evaluatedInputs).toEqual([{ inputId: 'discount_in1', inputName: 'years', inputValue: '7' }]);
    expect(got.matchedRules).toEqual([
      {
        ruleId: 'discount_r2',
        ruleIndex: 2,
        evaluatedOutputs: [{ outputId: 'discount_out1', outputName: 'discount', outputValue: '0.1' }],
      },
    ]);
    const byDefinition = await t.client.searchDecisionInstances(
      { filter: { decisionDefinitionKey: evaluation.decisionDefinitionKey } } as never,
      now,
    );
    expect(byDefinition.items!.length).toBeGreaterThanOrEqual(1);
  });

  test('binding type versionTag evaluates the decision carrying that tag', async () => {
    await t.client.createDeployment({
      resources: [
        file(
          'tagged.bpmn',
          ruleTaskProcess('tagged', 'greeting', 'letter', ' bindingType="versionTag" versionTag="v1"'),
        ),
      ],
    });
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'tagged' as never,
      variables: { name: 'Wang' },
    });
    expect((await rootVariables(t.db.knex, pi.processInstanceKey)).letter).toBe('Dear Wang');
  });

  test('deleting a decision requirements graph deletes its decisions; the previous version is the latest again', async () => {
    const { items } = await t.client.searchDecisionRequirements(
      { filter: { decisionRequirementsId: 'discounts', version: 2 } } as never,
      now,
    );
    const drgKey = items![0].decisionRequirementsKey!;
    await t.client.deleteResource({ resourceKey: drgKey } as never);
    const left = await t.client.searchDecisionDefinitions(
      { filter: { decisionDefinitionId: 'discount' } } as never,
      now,
    );
    expect(left.items!.map((d) => d.version)).toEqual([1]);
    const r = await t.client.evaluateDecision({ decisionDefinitionId: 'discount', variables: { years: 7 } } as never);
    expect(r).toMatchObject({ decisionDefinitionVersion: 1, output: '0.05' });
    const gone = await rejection(t.client.getDecisionRequirements({ decisionRequirementsKey: drgKey }, now));
    expect(gone.status).toBe(404);
    const again = await t.client.createDeployment({ resources: [file('discounts.dmn', graph('0.1'))] });
    expect(again.decisionRequirements[0].version).toBe(3);
  });
});
