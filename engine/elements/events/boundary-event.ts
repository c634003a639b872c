import type { ElementBehavior } from '../behavior.js';
import { catchDefinitionErrors } from './definitions.js';
import { takePending } from '../../runtime/events/pending.js';

/**
 * Boundary events. Their subscriptions belong to the attached activity (opened when it activates,
 * runtime/events/hooks.ts); the trigger (runtime/events/trigger.ts) terminates the activity when
 * interrupting and activates the boundary event, which completes with the event's variables.
 */
export const boundaryEventBehavior: ElementBehavior = {
  validate(node, model) {
    const attached = node.attachedToId ? model.nodes.get(node.attachedToId) : undefined;
    if (!attached) return ['Must be attached to an activity'];
    if (!['MESSAGE', 'TIMER', 'SIGNAL', 'ERROR', 'ESCALATION'].includes(node.eventType))
      return [`Boundary event with ${node.eventType.toLowerCase()} event definition is not supported`];
    if (node.eventType === 'ERROR' && node.cancelActivity === false)
      return ['Error boundary events must be interrupting'];
    if (!node.outgoing.length) return ['Must have at least one outgoing sequence flow'];
    return catchDefinitionErrors(node, true);
  },
  onActivate(ctx, el, node) {
    const vars = takePending(ctx, el.key, el.flow_scope_key, node.id);
    ctx.activated(el);
    if (vars) ctx.temporaryVariables.set(el.key, vars);
    ctx.complete(el);
  },
};
