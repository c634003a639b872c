import type { ElementBehavior } from '../behavior.js';
import { bindingErrors } from '../binding.js';
import type { FlowNode } from '../../model/types.js';
import type { ElementInstanceRow } from '../../store/rows.js';
import type { InstanceContext } from '../../runtime/context.js';
import { queueParentChild, type ParentChildSession } from '../../runtime/parent-child.js';
import { evaluateStoredDecision } from '../../runtime/decisions.js';
import { decisionByVersionTag, decisionOfDeployment, latestDecision, type DecisionRow } from '../../store/decisions.js';
import { jobTaskBehavior, taskDefinitionErrors } from './job-task.js';

/**
 * Business-rule task. With zeebe:calledDecision the decision (latest / same deployment / version tag) is
 * evaluated in the task's scope on activation and its result set as `resultVariable` (like job variables:
 * propagated, or local when output mappings exist); a decision not deployed is a CALLED_DECISION_ERROR
 * incident, a failed evaluation a DECISION_EVALUATION_ERROR one (resolving re-evaluates). The lookup is I/O,
 * so it runs as work settled in the command's transaction (runtime/parent-child.ts). With
 * zeebe:taskDefinition it is a job like a service task.
 */
export const businessRuleTaskBehavior: ElementBehavior = {
  validate(node) {
    const called = node.calledDecision;
    if (!called) {
      if (node.taskDefinition) return taskDefinitionErrors(node);
      return ["Must have exactly one 'zeebe:calledDecision' or 'zeebe:taskDefinition' extension element"];
    }
    if (node.taskDefinition)
      return ["Must have exactly one 'zeebe:calledDecision' or 'zeebe:taskDefinition' extension element"];
    const errors: string[] = [];
    if (!called.decisionId.raw.trim())
      errors.push("Expected attribute 'decisionId' of 'zeebe:calledDecision' to be present and not empty");
    if (!called.resultVariable.trim())
      errors.push("Expected attribute 'resultVariable' of 'zeebe:calledDecision' to be present and not empty");
    errors.push(...bindingErrors('calledDecision', called));
    return errors;
  },
  onActivate(ctx, el, node) {
    if (!node.calledDecision) return jobTaskBehavior.onActivate(ctx, el, node);
    const decisionId = ctx.evaluateAs(node.calledDecision.decisionId, el.key, 'STRING') as string;
    queueParentChild(ctx, (session) => evaluateCalled(session, ctx, el, node, decisionId));
  },
};

async function evaluateCalled(
  session: ParentChildSession,
  ctx: InstanceContext,
  el: ElementInstanceRow,
  node: FlowNode,
  decisionId: string,
): Promise<void> {
  if (el.state !== 'ACTIVATING') return; // terminated meanwhile
  const called = node.calledDecision!;
  const { decision, missing } = await calledDecision(session, ctx, decisionId, called.bindingType, called.versionTag);
  if (!decision) {
    ctx.raiseIncident(el, 'CALLED_DECISION_ERROR', missing);
    return;
  }
  const evaluation = await evaluateStoredDecision(
    session.client,
    ctx.keys,
    decision,
    ctx.visibleVariables(el.key),
    ctx.now,
    { processDefinitionKey: ctx.pi.process_definition_key, processInstanceKey: ctx.pi.key, elementInstanceKey: el.key },
  );
  const { outcome } = evaluation;
  ctx.record(
    'DECISION_EVALUATION',
    outcome.ok ? 'EVALUATED' : 'FAILED',
    evaluation.evaluationKey,
    {
      decisionId: decision.decision_id,
      decisionKey: decision.key,
      decisionVersion: decision.version,
      decisionOutput: outcome.ok ? JSON.stringify(outcome.output) : null,
      failedDecisionId: outcome.ok ? null : outcome.failedDecisionId,
      evaluationFailureMessage: outcome.ok ? null : outcome.message,
    },
    el,
  );
  if (!outcome.ok) {
    ctx.raiseIncident(el, 'DECISION_EVALUATION_ERROR', outcome.message);
    return;
  }
  ctx.temporaryVariables.set(el.key, { [called.resultVariable]: outcome.output });
  ctx.activated(el);
  ctx.complete(el);
}

async function calledDecision(
  session: ParentChildSession,
  ctx: InstanceContext,
  decisionId: string,
  bindingType: string,
  versionTag: string | undefined,
): Promise<{ decision?: DecisionRow; missing: string }> {
  const tenant = ctx.pi.tenant_id;
  if (bindingType === 'deployment')
    return {
      decision: await decisionOfDeployment(session.client, decisionId, tenant, ctx.pi.process_definition_key),
      missing: `Expected to evaluate decision '${decisionId}' with binding type 'deployment', but no such decision found in the deployment which contained the current process. To resolve this incident, deploy the decision together with the calling process.`,
    };
  if (bindingType === 'versionTag')
    return {
      decision: await decisionByVersionTag(session.client, decisionId, tenant, versionTag ?? ''),
      missing: `Expected to evaluate decision with id '${decisionId}' and version tag '${versionTag}', but no such decision found. To resolve this incident, deploy a decision with the given id and version tag.`,
    };
  return {
    decision: await latestDecision(session.client, decisionId, tenant),
    missing: `Expected to evaluate decision '${decisionId}', but no decision found for id '${decisionId}'`,
  };
}
