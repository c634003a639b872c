import type { ElementBehavior } from '../behavior.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { conditionErrors, flowsToTake } from './conditions.js';

/**
 * Fork: every flow whose condition is true (else the default, else an incident). Join: the runtime
 * fires it when each incoming flow was taken or can no longer be reached by an active path.
 */
export const inclusiveGatewayBehavior: ElementBehavior = {
  validate: (node) => conditionErrors(node),
  onActivate(ctx, el, node) {
    const flows = flowsToTake(ctx, el, node, false);
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
