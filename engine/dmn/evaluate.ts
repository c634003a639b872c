import { BudgetExceeded, DEFAULT_TIMEOUT_MS, runWithBudget, type Variables } from '../feel/index.js';
import { evaluateTable, json, type TableAudit, type TableOutcome } from './decision-table.js';
import { evaluateLiteral } from './literal-expression.js';
import { typeRefFailure } from './type-ref.js';
import type { DecisionModel, DecisionOutcome, DrgModel, EvaluatedDecision } from './types.js';

/**
 * Evaluates a decision of a DRG as Zeebe does with dmn-scala: its required decisions first (each once, depth
 * first), their FEEL results available to the later ones by result name (the decision's variable name, else its
 * id); then the decision itself, its result checked against its variable's typeRef. Every evaluated decision is
 * reported in evaluation order, the requested one last. A failure stops at the decision that failed, which is
 * reported last (what it evaluated before failing, output null); the message is Zeebe's:
 * `Expected to evaluate decision '<requested>', but <dmn-scala's reason>`.
 *
 * The whole evaluation runs under one FEEL time budget, which every cell's expression then shares: a budget per
 * cell started a watchdog thread each time, five times the cost of the unary test itself (decision-evaluation
 * bench). A decision that runs out of it fails as a whole.
 */
/** The time a whole decision (its required decisions included) may take; a single expression gets 1 s. */
const DECISION_BUDGET_MS = 5 * DEFAULT_TIMEOUT_MS;

export function evaluateDecision(drg: DrgModel, decisionId: string, variables: Variables, now: Date): DecisionOutcome {
  const byId = new Map(drg.decisions.map((d) => [d.id, d]));
  const evaluated: EvaluatedDecision[] = [];
  const results = new Map<string, unknown>();
  const report = (d: DecisionModel, output: unknown, audit: TableAudit) =>
    evaluated.push({
      decisionId: d.id,
      decisionName: d.name,
      decisionType: d.logic.type,
      output: json(output),
      evaluatedInputs: audit.inputs,
      matchedRules: audit.rules,
    });
  const run = (d: DecisionModel): { ok: true } | { ok: false; failedDecisionId: string; reason: string } => {
    if (results.has(d.id)) return { ok: true };
    for (const r of d.requires) {
      const sub = run(byId.get(r)!);
      if (!sub.ok) return sub;
    }
    const scope: Record<string, unknown> = { ...variables };
    for (const r of d.requires) scope[byId.get(r)!.resultName] = results.get(r);
    const outcome: TableOutcome =
      d.logic.type === 'DECISION_TABLE'
        ? evaluateTable(d.logic, scope, now)
        : { ...evaluateLiteral(d.logic, scope, now), inputs: [], rules: [] };
    const reason = outcome.ok ? typeRefFailure(outcome.output, d.resultType) : outcome.message;
    if (reason !== null || !outcome.ok) {
      report(d, null, outcome);
      return { ok: false, failedDecisionId: d.id, reason: reason ?? '' };
    }
    results.set(d.id, outcome.output);
    report(d, outcome.output, outcome);
    return { ok: true };
  };
  const root = byId.get(decisionId);
  if (!root)
    return {
      ok: false,
      failedDecisionId: decisionId,
      message: `Expected to evaluate decision '${decisionId}', but no decision found with id '${decisionId}'`,
      evaluated,
    };
  let r: ReturnType<typeof run>;
  try {
    r = runWithBudget(() => run(root), DECISION_BUDGET_MS);
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
    r = {
      ok: false,
      failedDecisionId: decisionId,
      reason: `the evaluation exceeded its budget of ${DECISION_BUDGET_MS} ms`,
    };
  }
  if (!r.ok)
    return {
      ok: false,
      failedDecisionId: r.failedDecisionId,
      message: `Expected to evaluate decision '${decisionId}', but ${r.reason}`,
      evaluated,
    };
  return { ok: true, output: json(results.get(decisionId) ?? null), evaluated };
}
