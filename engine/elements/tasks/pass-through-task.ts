import type { ElementBehavior } from '../behavior.js';

/** Undefined task and manual task: Zeebe completes them at once. */
export const passThroughTaskBehavior: ElementBehavior = {
  onActivate(ctx, el) {
    ctx.activated(el);
    ctx.complete(el);
  },
};
