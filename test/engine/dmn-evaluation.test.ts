import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/records.js';
import { dmn, file, literalXml, tableXml, type Table } from './dmn-models.js';

/**
 * DMN decision evaluation through POST /v2/decision-definitions/evaluation, driven by the official client in
 * fanatical response validation: every hit policy of DMN 1.3 on hand-made tables, literal expressions and a
 * DRG whose decision requires another one (Camunda 8.8 docs: DMN › Decision table hit policies, Decision
 * requirements graph; Zeebe evaluates required decisions first and reports them in evaluatedDecisions).
 */
let t: TestEngine;

const amountTable = (id: string, hitPolicy: string | undefined, rules: Table['rules'], extra: Partial<Table> = {}) =>
  tableXml({ id, hitPolicy, inputs: ['amount'], outputs: [{ name: 'result' }], rules, ...extra });

beforeAll(async () => {
  t = await startTestEngine();
  const overlapping: Table['rules'] = [
    [['< 100'], ['"low"']],
    [['>= 50'], ['"high"']],
    [['-'], ['"any"']],
  ];
  const numbers: Table['rules'] = [
    [['> 0'], ['10']],
    [['> 10'], ['20']],
    [['> 100'], ['5']],
  ];
  const xml = dmn(
    'hit-policies',
    amountTable('unique', undefined, [
      [['< 100'], ['"low"']],
      [['[100..1000]'], ['"medium"']],
      [['> 1000'], ['"high"']],
    ]),
    amountTable('unique_overlap', 'UNIQUE', overlapping),
    amountTable('first', 'FIRST', overlapping),
    amountTable('priority', 'PRIORITY', overlapping, { outputs: [{ name: 'result', values: '"high","any","low"' }] }),
    amountTable('any_same', 'ANY', [
      [['< 100'], ['"ok"']],
      [['< 200'], ['"ok"']],
    ]),
    amountTable('any_different', 'ANY', overlapping),
    amountTable('collect', 'COLLECT', overlapping),
    amountTable('collect_sum', 'COLLECT', numbers, { aggregation: 'SUM' }),
    amountTable('collect_min', 'COLLECT', numbers, { aggregation: 'MIN' }),
    amountTable('collect_max', 'COLLECT', numbers, { aggregation: 'MAX' }),
    amountTable('collect_count', 'COLLECT', numbers, { aggregation: 'COUNT' }),
    amountTable('rule_order', 'RULE ORDER', overlapping),
    amountTable('output_order', 'OUTPUT ORDER', overlapping, {
      outputs: [{ name: 'result', values: '"high","any","low"' }],
    }),
    tableXml({
      id: 'two_outputs',
      inputs: ['customerClass', 'amount'],
      outputs: [{ name: 'rate' }, { name: 'label' }],
      rules: [
        [
          ['"residential"', '<= 100'],
          ['3.5', '"tier 1"'],
        ],
        [
          ['"residential"', '> 100'],
          ['4.2', '"tier 2"'],
        ],
        [
          ['"commercial"', '-'],
          ['6', 'customerClass + " flat"'],
        ],
      ],
    }),
    literalXml('greeting', '"Dear " + name'),
  );
  await t.client.createDeployment({ resources: [file('hit-policies.dmn', xml)] });
});
afterAll(async () => {
  await t?.stop();
});

const evaluate = (decisionDefinitionId: string, variables: Record<string, unknown>) =>
  t.client.evaluateDecision({ decisionDefinitionId, variables } as never);

const output = async (id: string, variables: Record<string, unknown>) =>
  JSON.parse((await evaluate(id, variables)).output);

const ruleIndexes = async (id: string, variables: Record<string, unknown>) =>
  (await evaluate(id, variables)).evaluatedDecisions[0].matchedRules!.map((r) => r.ruleIndex);

describe('hit policies', () => {
  test('UNIQUE (the default): the one matching rule; no match is null; two matches fail the evaluation', async () => {
    expect(await output('unique', { amount: 50 })).toBe('low');
    expect(await output('unique', { amount: 100 })).toBe('medium');
    expect(await output('unique', { amount: 5000 })).toBe('high');
    expect(await output('unique', { amount: null })).toBeNull();
    // A failed evaluation is no rejection in Zeebe: 200 naming the failed decision and Zeebe's message.
    const failed = await evaluate('unique_overlap', { amount: 70 });
    expect(failed).toMatchObject({
      decisionDefinitionId: 'unique_overlap',
      output: 'null',
      failedDecisionDefinitionId: 'unique_overlap',
      failureMessage:
        "Expected to evaluate decision 'unique_overlap', but multiple values aren't allowed for UNIQUE hit policy. " +
        "found: 'List(Map(result -> ValString(low)), Map(result -> ValString(high)), Map(result -> ValString(any)))'",
    });
    // The failed decision is reported with what it evaluated: the input and the three matched rules.
    expect(failed.evaluatedDecisions).toHaveLength(1);
    expect(failed.evaluatedDecisions[0]).toMatchObject({
      decisionDefinitionId: 'unique_overlap',
      output: 'null',
      evaluatedInputs: [{ inputName: 'amount', inputValue: '70' }],
    });
    expect(failed.evaluatedDecisions[0].matchedRules!.map((r) => r.ruleIndex)).toEqual([1, 2, 3]);
    const stored = await eventually(async () => {
      const found = await t.client.searchDecisionInstances(
        { filter: { decisionEvaluationKey: failed.decisionEvaluationKey } } as never,
        { consistency: { waitUpToMs: 0 } } as never,
      );
      return found.items?.length ? found.items : undefined;
    });
    expect(stored).toMatchObject([{ state: 'FAILED', decisionDefinitionId: 'unique_overlap' }]);
  });

  test('FIRST: the first matching rule in rule order', async () => {
    expect(await output('first', { amount: 70 })).toBe('low');
    expect(await output('first', { amount: 500 })).toBe('high');
    expect(await ruleIndexes('first', { amount: 70 })).toEqual([1]);
  });

  test('PRIORITY: the matching rule whose output comes first in the output values', async () => {
    expect(await output('priority', { amount: 70 })).toBe('high');
    expect(await output('priority', { amount: 10 })).toBe('any');
    // Camunda reports every matched rule (in rule order), not only the one that made the result.
    expect(await ruleIndexes('priority', { amount: 70 })).toEqual([1, 2, 3]);
  });

  test('ANY: matching rules with equal outputs give that output; different outputs fail', async () => {
    expect(await output('any_same', { amount: 10 })).toBe('ok');
    const failed = await evaluate('any_different', { amount: 70 });
    expect(failed.failedDecisionDefinitionId).toBe('any_different');
    expect(failed.failureMessage).toBe(
      "Expected to evaluate decision 'any_different', but different values aren't allowed for ANY hit policy. " +
        "found: 'List(Map(result -> ValString(low)), Map(result -> ValString(high)), Map(result -> ValString(any)))'",
    );
  });

  test('COLLECT without aggregation: every matching output, in rule order', async () => {
    expect(await output('collect', { amount: 70 })).toEqual(['low', 'high', 'any']);
    expect(await output('collect', { amount: 500 })).toEqual(['high', 'any']);
    expect(await ruleIndexes('collect', { amount: 70 })).toEqual([1, 2, 3]);
  });

  test('COLLECT with SUM, MIN, MAX, COUNT aggregates the matching outputs', async () => {
    expect(await output('collect_sum', { amount: 500 })).toBe(35);
    expect(await output('collect_min', { amount: 500 })).toBe(5);
    expect(await output('collect_max', { amount: 500 })).toBe(20);
    expect(await output('collect_count', { amount: 500 })).toBe(3);
    expect(await output('collect_count', { amount: 50 })).toBe(2);
    // No rule matched: Camunda's DMN engine answers null before applying the hit policy (COUNT too).
    expect(await output('collect_count', { amount: -1 })).toBeNull();
    expect(await output('collect_sum', { amount: -1 })).toBeNull();
  });

  test('RULE ORDER: every matching output in rule order; OUTPUT ORDER: by the output values', async () => {
    expect(await output('rule_order', { amount: 70 })).toEqual(['low', 'high', 'any']);
    expect(await output('output_order', { amount: 70 })).toEqual(['high', 'any', 'low']);
    expect(await ruleIndexes('output_order', { amount: 70 })).toEqual([1, 2, 3]);
  });
});

describe('results', () => {
  test('several outputs make a context; output entries are FEEL expressions over the variables', async () => {
    expect(await output('two_outputs', { customerClass: 'residential', amount: 150 })).toEqual({
      rate: 4.2,
      label: 'tier 2',
    });
    expect(await output('two_outputs', { customerClass: 'commercial', amount: 1 })).toEqual({
      rate: 6,
      label: 'commercial flat',
    });
  });

  test("the response carries Camunda's EvaluateDecisionResult: inputs, matched rules, outputs as JSON text", async () => {
    const r = await evaluate('two_outputs', { customerClass: 'residential', amount: 80 });
    expect(r).toMatchObject({
      decisionDefinitionId: 'two_outputs',
      decisionDefinitionVersion: 1,
      decisionRequirementsId: 'hit-policies',
      failedDecisionDefinitionId: 'two_outputs',
      failureMessage: '',
      tenantId: '<default>',
    });
    expect(r.evaluatedDecisions).toHaveLength(1);
    const [d] = r.evaluatedDecisions;
    expect(d).toMatchObject({ decisionDefinitionId: 'two_outputs', decisionDefinitionType: 'DECISION_TABLE' });
    expect(d.evaluatedInputs).toEqual([
      { inputId: 'two_outputs_in1', inputName: 'customerClass', inputValue: '"residential"' },
      { inputId: 'two_outputs_in2', inputName: 'amount', inputValue: '80' },
    ]);
    expect(d.matchedRules).toEqual([
      {
        ruleId: 'two_outputs_r1',
        ruleIndex: 1,
        evaluatedOutputs: [
          { outputId: 'two_outputs_out1', outputName: 'rate', outputValue: '3.5' },
          { outputId: 'two_outputs_out2', outputName: 'label', outputValue: '"tier 1"' },
        ],
      },
    ]);
    expect(d.decisionEvaluationInstanceKey).toMatch(/^\d+$/);
  });

  test('a literal expression decision is its FEEL value', async () => {
    const r = await evaluate('greeting', { name: 'Li Wei' });
    expect(JSON.parse(r.output)).toBe('Dear Li Wei');
    expect(r.evaluatedDecisions[0]).toMatchObject({
      decisionDefinitionType: 'LITERAL_EXPRESSION',
      matchedRules: [],
      evaluatedInputs: [],
    });
  });

  test('by key as well as by id; an unknown decision is 404', async () => {
    const byId = await evaluate('first', { amount: 1 });
    const byKey = await t.client.evaluateDecision({
      decisionDefinitionKey: byId.decisionDefinitionKey,
      variables: { amount: 1 },
    } as never);
    expect(byKey.output).toBe('"low"');
    const err = await rejection(evaluate('no_such_decision', {}));
    expect(err.status).toBe(404);
    expect(err.detail).toContain("no decision found for id 'no_such_decision'");
  });
});

describe('decision requirements graph', () => {
  beforeAll(async () => {
    const xml = dmn(
      'water-fee',
      tableXml({
        id: 'tier',
        name: 'Tier',
        inputs: ['volume'],
        outputs: [{ name: 'tier' }],
        rules: [
          [['<= 20'], ['1']],
          [['> 20'], ['2']],
        ],
      }),
      tableXml({
        id: 'price',
        name: 'Price per m3',
        requires: ['tier'],
        inputs: ['tier', 'customerClass'],
        outputs: [{ name: 'price' }],
        rules: [
          [['1', '"residential"'], ['3.5']],
          [['2', '"residential"'], ['4.5']],
          [['-', '"commercial"'], ['6']],
        ],
      }),
      literalXml('fee', 'price * volume', ['price']),
      // The decision variable's typeRef is checked; a required decision failing it fails the requested one.
      literalXml('fee_label', '"fee " + tier_text', ['tier_text']),
      literalXml('tier_text', 'tier', ['tier'], undefined, 'string'),
      literalXml('fee_rounded', 'floor(fee)', ['fee'], undefined, 'number'),
    );
    await t.client.createDeployment({ resources: [file('water-fee.dmn', xml)] });
  });

  test('required decisions are evaluated first and their results are available by decision id', async () => {
    const r = await evaluate('fee', { volume: 30, customerClass: 'residential' });
    expect(JSON.parse(r.output)).toBe(135);
    expect(r.decisionRequirementsId).toBe('water-fee');
    expect(r.evaluatedDecisions.map((d) => [d.decisionDefinitionId, JSON.parse(d.output!)])).toEqual([
      ['tier', 2],
      ['price', 4.5],
      ['fee', 135],
    ]);
    const keys = r.evaluatedDecisions.map((d) => d.decisionDefinitionKey);
    expect(new Set(keys).size).toBe(3);
  });

  test("the decision variable's typeRef: a number where 'string' is declared fails that decision, named as failed", async () => {
    expect(JSON.parse((await evaluate('fee_rounded', { volume: 30, customerClass: 'residential' })).output)).toBe(135);
    const r = await evaluate('fee_label', { volume: 10, customerClass: 'residential' });
    expect(r).toMatchObject({
      decisionDefinitionId: 'fee_label',
      output: 'null',
      failedDecisionDefinitionId: 'tier_text',
      failureMessage: "Expected to evaluate decision 'fee_label', but expected 'string' but found 'ValNumber(1)'",
    });
    expect(r.evaluatedDecisions.map((d) => [d.decisionDefinitionId, d.output])).toEqual([
      ['tier', '1'],
      ['tier_text', 'null'],
    ]);
  });
});
