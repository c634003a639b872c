import type { FlowNode, SequenceFlow } from '../../model/types.js';
import type { InstanceContext } from '../../runtime/context.js';
import type { ElementInstanceRow } from '../../store/rows.js';

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
