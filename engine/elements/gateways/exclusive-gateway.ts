import type { ElementBehavior } from '../behavior.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { conditionErrors, flowsToTake } from './conditions.js';

/** First flow whose condition is true, else the default flow, else a CONDITION_ERROR incident. */
export const exclusiveGatewayBehavior: ElementBehavior = {
  validate: (node) => conditionErrors(node),
  onActivate(ctx, el, node) {
    const flows = flowsToTake(ctx, el, node, true);
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
