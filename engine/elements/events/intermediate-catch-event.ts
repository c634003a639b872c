import type { ElementBehavior } from '../behavior.js';
import { catchDefinitionErrors } from './definitions.js';
import { takePending } from '../../runtime/events/pending.js';
import { openSubscription } from '../../runtime/events/subscribe.js';

/**
 * Timer, message and signal intermediate catch events (and, through the same path, receive tasks):
 * activation opens the subscription and waits; the trigger completes the element with its variables.
 * Reached through an event-based gateway, the event already happened and completes at once.
 */
export const intermediateCatchEventBehavior: ElementBehavior = {
  validate(node) {
    if (node.type === 'INTERMEDIATE_CATCH_EVENT' && !['MESSAGE', 'TIMER', 'SIGNAL'].includes(node.eventType))
      return [`Intermediate catch event with ${node.eventType.toLowerCase()} event definition is not supported`];
    return catchDefinitionErrors(node, true);
  },
  onActivate(ctx, el, node) {
    const vars = takePending(ctx, el.key, el.flow_scope_key, node.id);
    if (vars !== undefined) {
      ctx.activated(el);
      if (vars) ctx.temporaryVariables.set(el.key, vars);
      ctx.complete(el);
      return;
    }
    openSubscription(ctx, el, node);
    ctx.activated(el);
  },
};
