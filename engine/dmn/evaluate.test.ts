import { evaluateDecision } from './evaluate.js';
import { parseDmn } from './parse.js';
import type { DecisionTableModel, DrgModel } from './types.js';

const now = new Date('2026-12-07T00:00:00Z');

const table = (over: Partial<DecisionTableModel>): DrgModel => ({
  id: 'g',
  name: 'g',
  decisions: [
    {
      id: 't',
      name: 't',
      requires: [],
      resultName: 't',
      logic: { type: 'DECISION_TABLE', hitPolicy: 'UNIQUE', inputs: [], outputs: [], rules: [], ...over },
    },
  ],
});

describe('decision tables (pure)', () => {
  test('the whole decision shares one time budget: a runaway input fails the decision, naming the budget', () => {
    const drg = table({
      inputs: [{ id: 'i', name: 'n', expression: 'count(for i in 1..100000000000 return i)' }],
      outputs: [{ id: 'o', name: 'y', values: [] }],
      rules: [{ id: 'r1', inputEntries: ['> 0'], outputEntries: ['1'] }],
    });
    const r = evaluateDecision(drg, 't', {}, now);
    expect(r).toMatchObject({ ok: false, failedDecisionId: 't' });
    expect((r as { message: string }).message).toMatch(/^Expected to evaluate decision 't', but .*budget of \d+ ms/);
  }, 20000);

  test('an input entry may refer to the input as ? and to other variables', () => {
    const drg = table({
      inputs: [{ id: 'i', name: 'amount', expression: 'amount' }],
      outputs: [{ id: 'o', name: 'over', values: [] }],
      rules: [
        { id: 'r1', inputEntries: ['? > limit'], outputEntries: ['true'] },
        { id: 'r2', inputEntries: ['<= limit'], outputEntries: ['false'] },
      ],
    });
    expect(evaluateDecision(drg, 't', { amount: 12, limit: 10 }, now)).toMatchObject({ ok: true, output: true });
    expect(evaluateDecision(drg, 't', { amount: 8, limit: 10 }, now)).toMatchObject({ ok: true, output: false });
  });

  test('PRIORITY ranks output by output; an empty output entry is null', () => {
    const drg = table({
      hitPolicy: 'PRIORITY',
      inputs: [],
      outputs: [
        { id: 'o1', name: 'level', values: ['"high"', '"low"'] },
        { id: 'o2', name: 'note', values: ['"b"', '"a"'] },
      ],
      rules: [
        { id: 'r1', inputEntries: [], outputEntries: ['"low"', '"b"'] },
        { id: 'r2', inputEntries: [], outputEntries: ['"high"', '"a"'] },
        { id: 'r3', inputEntries: [], outputEntries: ['"high"', ''] },
      ],
    });
    const r = evaluateDecision(drg, 't', {}, now);
    expect(r).toMatchObject({ ok: true, output: { level: 'high', note: 'a' } });
  });

  test('COLLECT with nothing matched is null (dmn-scala answers no match before the hit policy); a failed input expression fails the decision', () => {
    const drg = table({
      hitPolicy: 'COLLECT',
      inputs: [{ id: 'i', name: 'x', expression: 'x' }],
      outputs: [{ id: 'o', name: 'y', values: [] }],
      rules: [{ id: 'r1', inputEntries: ['> 100'], outputEntries: ['1'] }],
    });
    expect(evaluateDecision(drg, 't', { x: 1 }, now)).toMatchObject({ ok: true, output: null });
    const broken = table({ inputs: [{ id: 'i', name: 'x', expression: 'assert(x, x > 5)' }], outputs: [] });
    const failed = evaluateDecision(broken, 't', { x: 1 }, now);
    expect(failed).toMatchObject({ ok: false, failedDecisionId: 't' });
  });
});

describe('what Camunda 8.8 (dmn-scala) does beyond the hit policy examples', () => {
  const amountIn = [{ id: 'i', name: 'amount', expression: 'amount' }];

  test('no rule matched: the default output entries make the result, whatever the hit policy', () => {
    const drg = table({
      hitPolicy: 'COLLECT',
      inputs: amountIn,
      outputs: [
        { id: 'o1', name: 'level', values: [], defaultOutput: '"none"' },
        { id: 'o2', name: 'fee', values: [], defaultOutput: 'amount * 2' },
      ],
      rules: [{ id: 'r1', inputEntries: ['> 100'], outputEntries: ['"big"', '1'] }],
    });
    expect(evaluateDecision(drg, 't', { amount: 7 }, now)).toMatchObject({
      ok: true,
      output: { level: 'none', fee: 14 },
      evaluated: [{ matchedRules: [], evaluatedInputs: [{ inputId: 'i', inputValue: 7 }] }],
    });
    expect(evaluateDecision(drg, 't', { amount: 200 }, now)).toMatchObject({ output: [{ level: 'big', fee: 1 }] });
  });

  test('FIRST evaluates the first rule only; PRIORITY and ANY report every matched rule in rule order', () => {
    const rules = [
      { id: 'r1', inputEntries: ['> 0'], outputEntries: ['"b"'] },
      { id: 'r2', inputEntries: ['> 10'], outputEntries: ['assert(amount, amount < 0)'] },
    ];
    const first = table({ hitPolicy: 'FIRST', inputs: amountIn, outputs: [{ id: 'o', name: 'y', values: [] }], rules });
    const r = evaluateDecision(first, 't', { amount: 50 }, now);
    expect(r).toMatchObject({ ok: true, output: 'b', evaluated: [{ matchedRules: [{ ruleId: 'r1', ruleIndex: 1 }] }] });

    const priority = table({
      hitPolicy: 'PRIORITY',
      inputs: amountIn,
      outputs: [{ id: 'o', name: 'y', values: ['"a"', '"b"'] }],
      rules: [rules[0], { id: 'r2', inputEntries: ['> 10'], outputEntries: ['"a"'] }],
    });
    const p = evaluateDecision(priority, 't', { amount: 50 }, now);
    expect(p).toMatchObject({ ok: true, output: 'a' });
    expect(p.evaluated[0].matchedRules.map((m) => m.ruleIndex)).toEqual([1, 2]);
  });

  test("COUNT counts the matched rules, nulls too; SUM of a null fails with dmn-scala's message", () => {
    const rules = [
      { id: 'r1', inputEntries: ['> 0'], outputEntries: ['5'] },
      { id: 'r2', inputEntries: ['> 10'], outputEntries: ['null'] },
    ];
    const agg = (aggregation: 'COUNT' | 'SUM') =>
      table({
        hitPolicy: 'COLLECT',
        aggregation,
        inputs: amountIn,
        outputs: [{ id: 'o', name: 'y', values: [] }],
        rules,
      });
    expect(evaluateDecision(agg('COUNT'), 't', { amount: 50 }, now)).toMatchObject({ ok: true, output: 2 });
    expect(evaluateDecision(agg('SUM'), 't', { amount: 5 }, now)).toMatchObject({ ok: true, output: 5 });
    expect(evaluateDecision(agg('SUM'), 't', { amount: 50 }, now)).toMatchObject({
      ok: false,
      message: "Expected to evaluate decision 't', but expected number but found 'ValNull'",
    });
  });

  test('UNIQUE with two matches fails naming the outputs as dmn-scala does; the failed decision is reported last', () => {
    const drg = table({
      inputs: amountIn,
      outputs: [{ id: 'o', name: 'y', values: [] }],
      rules: [
        { id: 'r1', inputEntries: ['> 0'], outputEntries: ['"low"'] },
        { id: 'r2', inputEntries: ['> 10'], outputEntries: ['3'] },
      ],
    });
    const r = evaluateDecision(drg, 't', { amount: 50 }, now);
    expect(r).toEqual({
      ok: false,
      failedDecisionId: 't',
      message:
        "Expected to evaluate decision 't', but multiple values aren't allowed for UNIQUE hit policy. found: 'List(Map(y -> ValString(low)), Map(y -> ValNumber(3)))'",
      evaluated: [
        {
          decisionId: 't',
          decisionName: 't',
          decisionType: 'DECISION_TABLE',
          output: null,
          evaluatedInputs: [{ inputId: 'i', inputName: 'amount', inputValue: 50 }],
          matchedRules: [
            { ruleId: 'r1', ruleIndex: 1, evaluatedOutputs: [{ outputId: 'o', outputName: 'y', outputValue: 'low' }] },
            { ruleId: 'r2', ruleIndex: 2, evaluatedOutputs: [{ outputId: 'o', outputName: 'y', outputValue: 3 }] },
          ],
        },
      ],
    });
  });

  test("the decision variable's typeRef checks the result (null passes, unknown types pass); input/output typeRefs do not", () => {
    const literal = (text: string, resultType?: string): DrgModel => ({
      id: 'g',
      name: 'g',
      decisions: [
        {
          id: 'l',
          name: 'l',
          requires: [],
          resultName: 'l',
          resultType,
          logic: { type: 'LITERAL_EXPRESSION', text, variable: 'l' },
        },
      ],
    });
    expect(evaluateDecision(literal('"5"', 'number'), 'l', {}, now)).toMatchObject({
      ok: false,
      failedDecisionId: 'l',
      message: "Expected to evaluate decision 'l', but expected 'number' but found 'ValString(5)'",
    });
    expect(evaluateDecision(literal('5', 'number'), 'l', {}, now)).toMatchObject({ ok: true, output: 5 });
    expect(evaluateDecision(literal('null', 'string'), 'l', {}, now)).toMatchObject({ ok: true, output: null });
    expect(evaluateDecision(literal('date("2026-12-07")', 'date'), 'l', {}, now)).toMatchObject({
      ok: true,
      output: '2026-12-07',
    });
    expect(evaluateDecision(literal('"2026-12-07"', 'date'), 'l', {}, now)).toMatchObject({ ok: false });
    expect(evaluateDecision(literal('duration("P1Y")', 'feel:yearMonthDuration'), 'l', {}, now)).toMatchObject({
      ok: true,
      output: 'P1Y',
    });
    expect(evaluateDecision(literal('duration("PT1H")', 'yearMonthDuration'), 'l', {}, now)).toMatchObject({
      message:
        "Expected to evaluate decision 'l', but expected 'yearMonthDuration' but found 'ValDayTimeDuration(PT1H)'",
    });
    expect(evaluateDecision(literal('"x"', 'Any'), 'l', {}, now)).toMatchObject({ ok: true });
    const typed = table({
      inputs: [{ id: 'i', name: 'a', expression: 'amount', typeRef: 'number' }],
      outputs: [{ id: 'o', name: 'y', values: [], typeRef: 'number' }],
      rules: [{ id: 'r1', inputEntries: ['-'], outputEntries: ['"text"'] }],
    });
    expect(evaluateDecision(typed, 't', { amount: 'abc' }, now)).toMatchObject({ ok: true, output: 'text' });
  });

  test('a required decision that fails is the failed decision; the message names the requested one', () => {
    const drg: DrgModel = {
      id: 'g',
      name: 'g',
      decisions: [
        {
          id: 'rate',
          name: 'rate',
          requires: [],
          resultName: 'rate',
          resultType: 'number',
          logic: { type: 'LITERAL_EXPRESSION', text: 'rateText', variable: 'rate' },
        },
        {
          id: 'fee',
          name: 'fee',
          requires: ['rate'],
          resultName: 'fee',
          logic: { type: 'LITERAL_EXPRESSION', text: 'rate * 2', variable: 'fee' },
        },
      ],
    };
    expect(evaluateDecision(drg, 'fee', { rateText: 3 }, now)).toMatchObject({ ok: true, output: 6 });
    const r = evaluateDecision(drg, 'fee', { rateText: 'x' }, now);
    expect(r).toMatchObject({
      ok: false,
      failedDecisionId: 'rate',
      message: "Expected to evaluate decision 'fee', but expected 'number' but found 'ValString(x)'",
    });
    expect(r.evaluated.map((d) => d.decisionId)).toEqual(['rate']);
  });
});

describe('parse', () => {
  test('a cycle of required decisions is refused', async () => {
    const xml = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="c" name="c" namespace="x">
      <decision id="a"><informationRequirement id="ia"><requiredDecision href="#b"/></informationRequirement>
        <literalExpression id="la"><text>b</text></literalExpression></decision>
      <decision id="b"><informationRequirement id="ib"><requiredDecision href="#a"/></informationRequirement>
        <literalExpression id="lb"><text>a</text></literalExpression></decision>
    </definitions>`;
    const { drg, errors } = await parseDmn(xml);
    expect(drg).toBeUndefined();
    expect(errors.map((e) => e.message)).toContain('Expected the required decisions to be free of cycles');
  });

  test("the decision variable's name and typeRef, default output entries and typeRefs are read", async () => {
    const xml = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="g" name="g" namespace="x">
      <decision id="d" name="D"><variable id="v" name="level" typeRef="string"/><decisionTable id="t">
        <input id="i"><inputExpression id="e" typeRef="number"><text>x</text></inputExpression></input>
        <output id="o" name="y" typeRef="string"><defaultOutputEntry id="de"><text>"none"</text></defaultOutputEntry></output>
      </decisionTable></decision></definitions>`;
    const { drg } = await parseDmn(xml);
    expect(drg!.decisions[0]).toMatchObject({
      resultName: 'level',
      resultType: 'string',
      logic: { inputs: [{ typeRef: 'number' }], outputs: [{ name: 'y', defaultOutput: '"none"', typeRef: 'string' }] },
    });
  });

  test('an aggregation needs the COLLECT hit policy', async () => {
    const xml = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="g" name="g" namespace="x">
      <decision id="d"><decisionTable id="t" hitPolicy="FIRST" aggregation="SUM">
        <input id="i"><inputExpression id="e"><text>x</text></inputExpression></input>
        <output id="o" name="y"/></decisionTable></decision></definitions>`;
    const { errors } = await parseDmn(xml);
    expect(errors).toEqual([{ elementId: 'd', message: "Unsupported aggregation 'SUM' with hit policy 'FIRST'" }]);
  });
});
