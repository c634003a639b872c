import type { ElementBehavior } from '../behavior.js';

/**
 * None end: the path ends (the flow scope completes when nothing else is active).
 * Terminate end: every other element of the flow scope is terminated, then the scope completes.
 */
export const endEventBehavior: ElementBehavior = {
  validate(node) {
    return node.eventType === 'NONE' || node.eventType === 'TERMINATE'
      ? []
      : [`End event with ${node.eventType.toLowerCase()} event definition is not supported`];
  },
  onActivate(ctx, el, node) {
    ctx.activated(el);
    if (node.eventType === 'TERMINATE' && el.flow_scope_key) {
      for (const sibling of ctx.activeChildren(el.flow_scope_key)) if (sibling.key !== el.key) ctx.terminate(sibling);
      ctx.clearWaitingTokens(el.flow_scope_key);
    }
    ctx.complete(el);
  },
};
