import type { ElementBehavior } from '../behavior.js';

/**
 * Fork: every outgoing flow. Join: the runtime activates the gateway only when every incoming flow
 * was taken at least once in the flow scope (InstanceContext.tryFireJoin); surplus tokens wait.
 */
export const parallelGatewayBehavior: ElementBehavior = {
  validate(node) {
    return node.outgoing.some((f) => f.condition)
      ? ['Parallel gateway must not have conditional outgoing sequence flows']
      : [];
  },
  onActivate(ctx, el) {
    ctx.activated(el);
    ctx.complete(el);
  },
};
