import { evaluateExpression, evaluateRaw, evaluateUnaryTest, toJson, type Variables } from '../feel/index.js';
import { applyHitPolicy, type MatchedRule } from './hit-policy.js';
import type { DecisionTableModel, EvaluatedDecision } from './types.js';

export type TableOutcome =
  | {
      ok: true;
      output: unknown;
      inputs: EvaluatedDecision['evaluatedInputs'];
      rules: EvaluatedDecision['matchedRules'];
    }
  | { ok: false; message: string };

/**
 * A decision table: each input expression is evaluated once, each rule matches when every input entry (a FEEL
 * unary test on its input's value) holds, the matched rules' output entries are evaluated as FEEL expressions
 * (an empty entry is null), and the hit policy (hit-policy.ts) makes the result.
 */
export function evaluateTable(table: DecisionTableModel, variables: Variables, now: Date): TableOutcome {
  const inputValues: unknown[] = [];
  for (const input of table.inputs) {
    const r = evaluateRaw(input.expression, variables, { now });
    if (!r.ok) return r;
    inputValues.push(r.value ?? null);
  }
  const matched: MatchedRule[] = [];
  for (const [index, rule] of table.rules.entries()) {
    let matches = true;
    for (const [i, entry] of rule.inputEntries.entries()) {
      const t = evaluateUnaryTest(entry, inputValues[i] ?? null, variables, { now });
      if (!t.ok) return t;
      if (!t.value) {
        matches = false;
        break;
      }
    }
    if (!matches) continue;
    const values: unknown[] = [];
    for (const entry of rule.outputEntries) {
      const v = entry.trim() ? evaluateExpression(entry, variables, { now }) : { ok: true as const, value: null };
      if (!v.ok) return v;
      values.push(v.value);
    }
    const result =
      table.outputs.length === 1 ? values[0] : Object.fromEntries(table.outputs.map((o, i) => [o.name, values[i]]));
    matched.push({ index, ruleId: rule.id, values, result });
  }
  const hit = applyHitPolicy(table, matched, (rule) => rankOf(table, rule, variables, now));
  if (!hit.ok) return hit;
  return {
    ok: true,
    output: hit.output,
    inputs: table.inputs.map((input, i) => ({
      inputId: input.id,
      inputName: input.name,
      inputValue: toJson(inputValues[i]),
    })),
    rules: hit.rules.map((r) => ({
      ruleId: r.ruleId,
      ruleIndex: r.index + 1,
      evaluatedOutputs: table.outputs.map((o, i) => ({ outputId: o.id, outputName: o.name, outputValue: r.values[i] })),
    })),
  };
}

/** Per output, the position of the rule's value among the output's allowed values (not listed: after all). */
function rankOf(table: DecisionTableModel, rule: MatchedRule, variables: Variables, now: Date): number[] {
  return table.outputs.map((o, i) => {
    const at = o.values.findIndex((text) => {
      const v = evaluateExpression(text, variables, { now });
      return v.ok && JSON.stringify(v.value) === JSON.stringify(rule.values[i]);
    });
    return at < 0 ? o.values.length : at;
  });
}
