import type { FlowNode, SequenceFlow } from '../../model/types.js';
import type { InstanceContext } from '../../runtime/context.js';
import type { ElementInstanceRow } from '../../store/rows.js';
import type { ElementBehavior } from '../behavior.js';
import { IncidentError } from '../../runtime/incident-error.js';

/** Exclusive/inclusive gateways with several outgoing flows: every flow but the default needs a condition. */
export function conditionErrors(node: FlowNode): string[] {
  const errors: string[] = [];
  if (node.defaultFlowId && !node.outgoing.some((f) => f.id === node.defaultFlowId))
    errors.push('Default flow must start at the gateway');
  if (node.outgoing.length > 1)
    for (const f of node.outgoing)
      if (f.id !== node.defaultFlowId && !f.condition)
        errors.push(`Sequence flow '${f.id}' must have a condition or be the default flow`);
  return errors;
}

/** Evaluates outgoing conditions in model order; `firstOnly` for exclusive gateways. */
export function flowsToTake(
  ctx: InstanceContext,
  el: ElementInstanceRow,
  node: FlowNode,
  firstOnly: boolean,
): SequenceFlow[] | 'none' {
  if (!node.outgoing.length) return [];
  if (node.outgoing.length === 1 && !node.outgoing[0].condition) return [node.outgoing[0]];
  const taken: SequenceFlow[] = [];
  for (const f of node.outgoing) {
    if (f.id === node.defaultFlowId || !f.condition) continue;
    if (ctx.evaluateAs(f.condition, el.key, 'BOOLEAN', 'CONDITION_ERROR') === true) {
      taken.push(f);
      if (firstOnly) break;
    }
  }
  if (taken.length) return taken;
  const def = node.outgoing.find((f) => f.id === node.defaultFlowId);
  return def ? [def] : 'none';
}

/**
 * Exclusive and inclusive gateways fork alike: the flows chosen by their conditions (else the default, else a
 * CONDITION_ERROR incident) are taken once the gateway completes. They differ only in `firstOnly`.
 */
export function conditionalForkBehavior(firstOnly: boolean): ElementBehavior {
  return {
    validate: (node) => conditionErrors(node),
    onActivate(ctx, el, node) {
      const flows = flowsToTake(ctx, el, node, firstOnly);
      if (flows === 'none')
        throw new IncidentError(
          'CONDITION_ERROR',
          'Expected at least one condition to evaluate to true, or to have a default flow',
        );
      ctx.chosenFlows.set(el.key, flows);
      ctx.activated(el);
      ctx.complete(el);
    },
    onCompleted(ctx, el) {
      const flows = ctx.chosenFlows.get(el.key) ?? [];
      ctx.chosenFlows.delete(el.key);
      ctx.takeFlows(el, flows);
    },
  };
}
