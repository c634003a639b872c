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
      logic: { type: 'DECISION_TABLE', hitPolicy: 'UNIQUE', inputs: [], outputs: [], rules: [], ...over },
    },
  ],
});

describe('decision tables (pure)', () => {
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

  test('COLLECT with nothing matched is an empty list; a failed input expression fails the decision', () => {
    const drg = table({
      hitPolicy: 'COLLECT',
      inputs: [{ id: 'i', name: 'x', expression: 'x' }],
      outputs: [{ id: 'o', name: 'y', values: [] }],
      rules: [{ id: 'r1', inputEntries: ['> 100'], outputEntries: ['1'] }],
    });
    expect(evaluateDecision(drg, 't', { x: 1 }, now)).toMatchObject({ ok: true, output: [] });
    const broken = table({ inputs: [{ id: 'i', name: 'x', expression: 'assert(x, x > 5)' }], outputs: [] });
    const failed = evaluateDecision(broken, 't', { x: 1 }, now);
    expect(failed).toMatchObject({ ok: false, failedDecisionId: 't' });
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

  test('an aggregation needs the COLLECT hit policy', async () => {
    const xml = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="g" name="g" namespace="x">
      <decision id="d"><decisionTable id="t" hitPolicy="FIRST" aggregation="SUM">
        <input id="i"><inputExpression id="e"><text>x</text></inputExpression></input>
        <output id="o" name="y"/></decisionTable></decision></definitions>`;
    const { errors } = await parseDmn(xml);
    expect(errors).toEqual([{ elementId: 'd', message: "Unsupported aggregation 'SUM' with hit policy 'FIRST'" }]);
  });
});
