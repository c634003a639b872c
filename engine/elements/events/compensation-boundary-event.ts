import type { ElementBehavior } from '../behavior.js';
import { activateHandler, compensationHandlerOf } from '../../runtime/events/compensation.js';

/**
 * Compensation boundary event: no subscription while its activity runs; a compensation throw event
 * activates it after the activity completed, and on completion it activates the associated handler
 * (an activity marked isForCompensation) instead of taking sequence flows.
 */
export const compensationBoundaryEventBehavior: ElementBehavior = {
  validate(node, model) {
    if (!compensationHandlerOf(node, model) || node.outgoing.length)
      return ['Compensation boundary events must have a compensation association and no outgoing sequence flows'];
    return [];
  },
  onActivate(ctx, el) {
    ctx.activated(el);
    ctx.complete(el);
  },
  onCompleted(ctx, el, node) {
    activateHandler(ctx, el, node);
  },
};
