import type { Variables } from '../feel/index.js';
import { evaluateTable } from './decision-table.js';
import { evaluateLiteral } from './literal-expression.js';
import type { DecisionModel, DecisionOutcome, DrgModel, EvaluatedDecision } from './types.js';

/**
 * Evaluates a decision of a DRG: its required decisions first (each once, depth first), their results
 * available to the later ones by decision id; then the decision itself. Every evaluated decision is
 * reported in evaluation order, the requested one last. A failure stops at the decision that failed.
 */
export function evaluateDecision(drg: DrgModel, decisionId: string, variables: Variables, now: Date): DecisionOutcome {
  const byId = new Map(drg.decisions.map((d) => [d.id, d]));
  const evaluated: EvaluatedDecision[] = [];
  const results = new Map<string, unknown>();
  const run = (d: DecisionModel): { ok: true } | { ok: false; failedDecisionId: string; message: string } => {
    if (results.has(d.id)) return { ok: true };
    for (const r of d.requires) {
      const sub = run(byId.get(r)!);
      if (!sub.ok) return sub;
    }
    const scope = { ...variables, ...Object.fromEntries(d.requires.map((r) => [r, results.get(r)])) };
    const outcome =
      d.logic.type === 'DECISION_TABLE'
        ? evaluateTable(d.logic, scope, now)
        : { ...evaluateLiteral(d.logic, scope, now), inputs: [], rules: [] };
    if (!outcome.ok)
      return {
        ok: false,
        failedDecisionId: d.id,
        message: `Expected to evaluate decision '${decisionId}', but failed to evaluate decision '${d.id}': ${outcome.message}`,
      };
    results.set(d.id, outcome.output);
    evaluated.push({
      decisionId: d.id,
      decisionName: d.name,
      decisionType: d.logic.type,
      output: outcome.output,
      evaluatedInputs: outcome.inputs,
      matchedRules: outcome.rules,
    });
    return { ok: true };
  };
  const root = byId.get(decisionId);
  if (!root)
    return {
      ok: false,
      failedDecisionId: decisionId,
      message: `Expected to evaluate decision '${decisionId}', but no decision found for id '${decisionId}'`,
      evaluated,
    };
  const r = run(root);
  return r.ok ? { ok: true, output: results.get(decisionId) ?? null, evaluated } : { ...r, evaluated };
}
