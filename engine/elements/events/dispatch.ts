import type { BpmnEventType } from '../../model/types.js';
import type { ElementBehavior } from '../behavior.js';

/**
 * One element kind, several event definitions (a START_EVENT may be none, message, timer …): the
 * behaviour for the node's event type, else the base behaviour (the core's none variant).
 */
export function byEventType(
  base: ElementBehavior,
  variants: Partial<Record<BpmnEventType, ElementBehavior>>,
): ElementBehavior {
  const pick = (t: BpmnEventType) => variants[t] ?? base;
  return {
    validate: (node, model) => pick(node.eventType).validate?.(node, model) ?? [],
    onActivate: (ctx, el, node) => pick(node.eventType).onActivate(ctx, el, node),
    onCompleting: (ctx, el, node) => pick(node.eventType).onCompleting?.(ctx, el, node),
    onCompleted(ctx, el, node) {
      const b = pick(node.eventType);
      if (b.onCompleted) b.onCompleted(ctx, el, node);
      else ctx.takeFlows(el, node.outgoing);
    },
    onTerminating: (ctx, el, node) => pick(node.eventType).onTerminating?.(ctx, el, node),
  };
}
