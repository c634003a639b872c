import type { Runtime } from '../runtime.js';
import { prepareEvaluation } from '../decisions.js';
import { decisionByKey, latestDecision } from '../../store/decisions.js';
import { notFound } from '../errors.js';
import { apiInputs, apiRules } from '../../store/read/decisions.js';
import { insertSql } from '../../store/sql.js';

export interface EvaluateDecisionRequest {
  decisionDefinitionId?: string;
  decisionDefinitionKey?: string;
  variables?: Record<string, unknown>;
  tenantId?: string;
}

/** The deployed decision an evaluation names (by id: the latest version); 404 as Zeebe rejects it. */
export async function decisionToEvaluate(rt: Runtime, req: EvaluateDecisionRequest) {
  const tenant = req.tenantId ?? '<default>';
  if (req.decisionDefinitionKey) {
    const d = await decisionByKey(rt.store.pool, req.decisionDefinitionKey);
    if (!d || d.tenant_id !== tenant)
      throw notFound(
        `Expected to evaluate decision with key '${req.decisionDefinitionKey}', but no such decision was found`,
      );
    return d;
  }
  const id = req.decisionDefinitionId!;
  const d = await latestDecision(rt.store.pool, id, tenant);
  if (!d) throw notFound(`Expected to evaluate decision '${id}', but no decision found for id '${id}'`);
  return d;
}

/**
 * POST /v2/decision-definitions/evaluation: evaluates the decision (and its required ones), stores the decision
 * instances and answers Camunda's EvaluateDecisionResult, also for a failed evaluation (stored as FAILED).
 */
export async function evaluateDecisionCommand(rt: Runtime, req: EvaluateDecisionRequest, actor: string | null) {
  const decision = await decisionToEvaluate(rt, req);
  const now = rt.clock.now();
  const { evaluationKey, outcome, instances } = await prepareEvaluation(
    rt.store.pool,
    rt.keys,
    decision,
    req.variables ?? {},
    now,
  );
  const record = {
    key: evaluationKey,
    value_type: 'DECISION_EVALUATION',
    intent: outcome.ok ? 'EVALUATED' : 'FAILED',
    tenant_id: decision.tenant_id,
    actor,
    timestamp: now,
    value: {
      decisionId: decision.decision_id,
      decisionKey: decision.key,
      decisionVersion: decision.version,
      decisionOutput: outcome.ok ? JSON.stringify(outcome.output ?? null) : null,
      failedDecisionId: outcome.ok ? null : outcome.failedDecisionId,
      evaluationFailureMessage: outcome.ok ? null : outcome.message,
    },
  };
  // The decision instances and the DECISION_EVALUATION record in one statement: one round trip, and the
  // statements of one simple query commit together (an implicit transaction).
  await rt.store.pool.query(
    `${insertSql('decision_instance', instances as unknown as Record<string, unknown>[])};${insertSql('record', [record])}`,
  );
  // A failed evaluation is an accepted command in Zeebe (DECISION_EVALUATION FAILED): 200, naming the decision
  // that failed and why, the failed one last in evaluatedDecisions.
  return {
    decisionDefinitionId: decision.decision_id,
    decisionDefinitionName: decision.name ?? decision.decision_id,
    decisionDefinitionVersion: decision.version,
    decisionRequirementsId: decision.decision_requirements_id,
    output: outcome.ok ? JSON.stringify(outcome.output ?? null) : 'null',
    // On success Zeebe 8.8 sends '' here, which the 8.8 client's own schema (non-empty id pattern) refuses in
    // fanatical validation: the requested decision's id is sent, with an empty failureMessage saying nothing failed.
    failedDecisionDefinitionId: outcome.ok ? decision.decision_id : outcome.failedDecisionId,
    failureMessage: outcome.ok ? '' : outcome.message,
    tenantId: decision.tenant_id,
    decisionDefinitionKey: decision.key,
    decisionRequirementsKey: decision.decision_requirements_key,
    decisionInstanceKey: evaluationKey,
    decisionEvaluationKey: evaluationKey,
    evaluatedDecisions: outcome.evaluated.map((d, i) => ({
      decisionDefinitionId: d.decisionId,
      decisionDefinitionName: d.decisionName,
      decisionDefinitionVersion: instances[i].decision_version,
      decisionDefinitionType: d.decisionType,
      output: JSON.stringify(d.output ?? null),
      tenantId: decision.tenant_id,
      matchedRules: apiRules(d.matchedRules),
      evaluatedInputs: apiInputs(d.evaluatedInputs),
      decisionDefinitionKey: instances[i].decision_definition_key,
      decisionEvaluationInstanceKey: instances[i].key,
    })),
  };
}
