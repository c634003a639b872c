import type { ElementBehavior } from '../behavior.js';

/** None intermediate throw event: a milestone that passes straight through. */
export const intermediateThrowEventBehavior: ElementBehavior = {
  validate(node) {
    return node.eventType === 'NONE'
      ? []
      : [`Intermediate throw event with ${node.eventType.toLowerCase()} event definition is not supported`];
  },
  onActivate(ctx, el) {
    ctx.activated(el);
    ctx.complete(el);
  },
};
