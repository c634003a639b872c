import type { ElementBehavior } from '../behavior.js';
import { noneStartEvent, noneStartEventErrors } from '../start-of-scope.js';

/** Embedded sub-process: a flow scope of its own (and a variable scope for its input mappings). */
export const subProcessBehavior: ElementBehavior = {
  validate: (node, model) => noneStartEventErrors(model, node),
  onActivate(ctx, el, node) {
    ctx.activated(el);
    const start = noneStartEvent(ctx.model, node);
    if (start) ctx.activate(start, el.key);
    else ctx.complete(el);
  },
};
