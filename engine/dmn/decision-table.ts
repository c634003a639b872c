import { evaluateRaw, evaluateUnaryTest, toJson, type Variables } from '../feel/index.js';
import { applyHitPolicy, type MatchedRule } from './hit-policy.js';
import type { DecisionTableModel, EvaluatedDecision } from './types.js';

/** What a table evaluated, also when it failed part way (a failed decision instance shows it). */
export interface TableAudit {
  inputs: EvaluatedDecision['evaluatedInputs'];
  rules: EvaluatedDecision['matchedRules'];
}

/** `output` is the FEEL value (required decisions pass it on as it is); JSON is made for reporting only. */
export type TableOutcome = ({ ok: true; output: unknown } | { ok: false; message: string }) & TableAudit;

/**
 * A decision table as Camunda's DMN engine evaluates it: each input expression once, each rule matched by its
 * input entries (FEEL unary tests on the input's value), then the output entries of the matched rules — of the
 * first one only under FIRST — and the hit policy (hit-policy.ts) makes the result. When no rule matches, the
 * result is made of the outputs' default output entries (null without any), whatever the hit policy.
 */
export function evaluateTable(table: DecisionTableModel, variables: Variables, now: Date): TableOutcome {
  const audit: TableAudit = { inputs: [], rules: [] };
  const fail = (message: string): TableOutcome => ({ ok: false, message, ...audit });
  const inputValues: unknown[] = [];
  for (const input of table.inputs) {
    const r = evaluateRaw(input.expression, variables, { now });
    if (!r.ok) return fail(r.message);
    inputValues.push(r.value ?? null);
  }
  audit.inputs = table.inputs.map((input, i) => ({
    inputId: input.id,
    inputName: input.name,
    inputValue: json(inputValues[i]),
  }));
  const matching: number[] = [];
  for (const [index, rule] of table.rules.entries()) {
    let matches = true;
    for (const [i, entry] of rule.inputEntries.entries()) {
      const t = evaluateUnaryTest(entry, inputValues[i] ?? null, variables, { now });
      if (!t.ok) return fail(t.message);
      if (!t.value) {
        matches = false;
        break;
      }
    }
    if (matches) matching.push(index);
  }
  if (!matching.length) {
    const defaults = defaultResult(table, variables, now);
    return defaults.ok ? { ok: true, output: defaults.value, ...audit } : fail(defaults.message);
  }
  const matched: MatchedRule[] = [];
  for (const index of table.hitPolicy === 'FIRST' ? matching.slice(0, 1) : matching) {
    const rule = table.rules[index];
    const values: unknown[] = [];
    for (const entry of rule.outputEntries) {
      const v = entry.trim() ? evaluateRaw(entry, variables, { now }) : { ok: true as const, value: null };
      if (!v.ok) return fail(v.message);
      values.push(v.value ?? null);
    }
    matched.push({ index, ruleId: rule.id, values, result: resultOf(table, values) });
  }
  audit.rules = matched.map((r) => ({
    ruleId: r.ruleId,
    ruleIndex: r.index + 1,
    evaluatedOutputs: table.outputs.map((o, i) => ({
      outputId: o.id,
      outputName: o.name,
      outputValue: json(r.values[i]),
    })),
  }));
  const hit = applyHitPolicy(table, matched, (rule) => rankOf(table, rule));
  return hit.ok ? { ok: true, output: hit.output, ...audit } : fail(hit.message);
}

/** A rule's result: its one output's value, or a context of output name → value. */
function resultOf(table: DecisionTableModel, values: unknown[]): unknown {
  return table.outputs.length === 1 ? values[0] : Object.fromEntries(table.outputs.map((o, i) => [o.name, values[i]]));
}

/** No rule matched: the outputs that have a default output entry make the result (one: its value). */
function defaultResult(
  table: DecisionTableModel,
  variables: Variables,
  now: Date,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const entries: Array<[string, unknown]> = [];
  for (const o of table.outputs) {
    if (!o.defaultOutput) continue;
    const v = evaluateRaw(o.defaultOutput, variables, { now });
    if (!v.ok) return v;
    entries.push([o.name, v.value ?? null]);
  }
  if (!entries.length) return { ok: true, value: null };
  return { ok: true, value: entries.length === 1 ? entries[0][1] : Object.fromEntries(entries) };
}

/**
 * Per output, the position of the rule's value among the output's allowed values, as dmn-scala ranks them: the
 * listed values with their quotes removed, compared with string values and with numbers as text; a value not
 * listed (or of another type) ranks after all.
 */
function rankOf(table: DecisionTableModel, rule: MatchedRule): number[] {
  return table.outputs.map((o, i) => {
    const v = rule.values[i];
    const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
    const at = text === undefined ? -1 : o.values.findIndex((listed) => listed.replace(/["']/g, '') === text);
    return at < 0 ? o.values.length : at;
  });
}

/** A FEEL value as JSON for the audit (a value too large to show is null). */
export function json(value: unknown): unknown {
  try {
    return toJson(value);
  } catch {
    return null;
  }
}
