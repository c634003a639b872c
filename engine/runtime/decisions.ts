import crypto from 'node:crypto';
import type pg from 'pg';
import { parseDmn } from '../dmn/parse.js';
import { evaluateDecision } from '../dmn/evaluate.js';
import type { DecisionOutcome, DrgModel } from '../dmn/types.js';
import type { KeyAllocator } from '../store/keys.js';
import {
  decisionsOfRequirements,
  insertDecisionInstances,
  type DecisionInstanceInsert,
  type DecisionRow,
} from '../store/decisions.js';

/** What started an evaluation: a business-rule task (its instance and element), or nothing (the API). */
export interface DecisionOrigin {
  processDefinitionKey: string;
  processInstanceKey: string;
  elementInstanceKey: string;
}

export interface StoredEvaluation {
  evaluationKey: string;
  decision: DecisionRow;
  outcome: DecisionOutcome;
  /** The rows written to engine.decision_instance, in evaluation order (the failed one last). */
  instances: DecisionInstanceInsert[];
}

/**
 * Evaluates a deployed decision (with its required decisions) and stores one decision instance per
 * evaluated decision, in the caller's transaction (`db` is its client) or on its own (the pool).
 */
export async function evaluateStoredDecision(
  db: pg.Pool | pg.PoolClient,
  keys: KeyAllocator,
  decision: DecisionRow,
  variables: Record<string, unknown>,
  now: Date,
  origin?: DecisionOrigin,
): Promise<StoredEvaluation> {
  const evaluation = await prepareEvaluation(db, keys, decision, variables, now, origin);
  await insertDecisionInstances(db, evaluation.instances);
  return evaluation;
}

/**
 * Evaluates a deployed decision in memory and makes its decision-instance rows, written by the caller (the
 * /v2 evaluation writes them and its record in one statement). Reads nothing per evaluation once the DRG's
 * model and its decisions' keys are cached.
 */
export async function prepareEvaluation(
  db: pg.Pool | pg.PoolClient,
  keys: KeyAllocator,
  decision: DecisionRow,
  variables: Record<string, unknown>,
  now: Date,
  origin?: DecisionOrigin,
): Promise<StoredEvaluation> {
  const drg = await drgModel(decision.resource);
  await keys.ensure(2 + drg.decisions.length);
  const evaluationKey = keys.take();
  const outcome = evaluateDecision(drg, decision.decision_id, variables, now);
  const siblings = await decisionsOf(db, decision.decision_requirements_key);
  const row = (
    decisionId: string,
    type: string,
    fields: Pick<
      DecisionInstanceInsert,
      'state' | 'evaluation_failure' | 'result' | 'evaluated_inputs' | 'matched_rules'
    >,
  ): DecisionInstanceInsert => {
    const def = siblings.get(decisionId);
    return {
      key: keys.take(),
      decision_evaluation_key: evaluationKey,
      evaluation_date: now,
      decision_definition_key: def?.key ?? decision.key,
      decision_id: decisionId,
      decision_name: def?.name ?? decisionId,
      decision_version: def?.version ?? decision.version,
      decision_type: type,
      process_definition_key: origin?.processDefinitionKey ?? null,
      process_instance_key: origin?.processInstanceKey ?? null,
      element_instance_key: origin?.elementInstanceKey ?? null,
      tenant_id: decision.tenant_id,
      ...fields,
    };
  };
  // One row per evaluated decision; after a failure the failed decision is the last one evaluated (FAILED).
  const failedAt = outcome.ok ? -1 : outcome.evaluated.length - 1;
  const instances = outcome.evaluated.map((d, i) =>
    row(d.decisionId, d.decisionType, {
      state: i === failedAt ? 'FAILED' : 'EVALUATED',
      evaluation_failure: i === failedAt && !outcome.ok ? outcome.message : null,
      result: i === failedAt ? null : JSON.stringify(d.output ?? null),
      evaluated_inputs: JSON.stringify(d.evaluatedInputs),
      matched_rules: JSON.stringify(d.matchedRules),
    }),
  );
  if (!outcome.ok && failedAt < 0) {
    const failed = drg.decisions.find((d) => d.id === outcome.failedDecisionId);
    instances.push(
      row(outcome.failedDecisionId, failed?.logic.type ?? 'DECISION_TABLE', {
        state: 'FAILED',
        evaluation_failure: outcome.message,
        result: null,
        evaluated_inputs: '[]',
        matched_rules: '[]',
      }),
    );
  }
  return { evaluationKey, decision, outcome, instances };
}

/**
 * The decisions of a deployed DRG by decision id (key, name, version), cached by the DRG's key: a deployed DRG's
 * decisions never change (a deletion only marks them deleted, and their instances keep naming them).
 */
const drgDecisions = new Map<
  string,
  Promise<Map<string, Awaited<ReturnType<typeof decisionsOfRequirements>>[number]>>
>();

function decisionsOf(db: pg.Pool | pg.PoolClient, drgKey: string) {
  let found = drgDecisions.get(drgKey);
  if (!found) {
    found = decisionsOfRequirements(db, drgKey).then((rows) => new Map(rows.map((d) => [d.decision_id, d])));
    found.catch(() => drgDecisions.delete(drgKey));
    if (drgDecisions.size >= 500) drgDecisions.delete(drgDecisions.keys().next().value!);
    drgDecisions.set(drgKey, found);
  }
  return found;
}

/** Parsed DRGs by the SHA-256 of their XML (a deployed resource never changes); at most 200 kept. */
const models = new Map<string, Promise<DrgModel>>();

export function drgModel(resource: string): Promise<DrgModel> {
  const sum = crypto.createHash('sha256').update(resource).digest('hex');
  let model = models.get(sum);
  if (!model) {
    model = parseDmn(resource).then(({ drg, errors }) => {
      if (!drg) throw new Error(`stored DMN resource does not parse: ${errors.map((e) => e.message).join('; ')}`);
      return drg;
    });
    if (models.size >= 200) models.delete(models.keys().next().value!);
    models.set(sum, model);
  }
  return model;
}
