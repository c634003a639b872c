import type { ElementBehavior } from '../behavior.js';

/** Start events pass straight through; message/timer/signal starts are chosen by their triggers (events helper). */
export const startEventBehavior: ElementBehavior = {
  validate(node) {
    return node.eventType === 'NONE'
      ? []
      : [`Start event with ${node.eventType.toLowerCase()} event definition is not supported`];
  },
  onActivate(ctx, el) {
    ctx.activated(el);
    ctx.complete(el);
  },
};
