import type { ElementBehavior } from '../behavior.js';
import { openSubscription } from '../../runtime/events/subscribe.js';

/**
 * Event-based gateway: on activation it subscribes to every event after it; the first to happen
 * wins (runtime/events/trigger.ts completes the gateway towards it); completing closes the others.
 */
export const eventBasedGatewayBehavior: ElementBehavior = {
  validate(node, model) {
    if (node.outgoing.length < 2) return ['Event-based gateway must have at least 2 outgoing sequence flows'];
    if (node.outgoing.some((f) => f.condition))
      return ['Event-based gateway must not have conditional outgoing sequence flows'];
    for (const f of node.outgoing) {
      const t = model.nodes.get(f.targetId)!;
      if (t.type !== 'INTERMEDIATE_CATCH_EVENT' || !['MESSAGE', 'TIMER', 'SIGNAL'].includes(t.eventType))
        return ['Event-based gateway must be followed by message, timer or signal intermediate catch events'];
    }
    return [];
  },
  onActivate(ctx, el, node) {
    for (const f of node.outgoing) openSubscription(ctx, el, ctx.node(f.targetId));
    ctx.activated(el);
  },
  onCompleted(ctx, el) {
    const flows = ctx.chosenFlows.get(el.key) ?? [];
    ctx.chosenFlows.delete(el.key);
    ctx.takeFlows(el, flows);
  },
};
