import type { ElementBehavior } from '../behavior.js';
import { noneStartEvent, noneStartEventErrors } from '../start-of-scope.js';

/**
 * The PROCESS element: its instance key is the process instance key and the root variable scope.
 * Activation enters at the none start event unless the command already chose the start element
 * (message/timer start, start instructions), in which case pi.start_element_ids is set (a row, not the
 * command's memory: process start listeners may finish in a later command).
 */
export const processBehavior: ElementBehavior = {
  validate: (node, model) => noneStartEventErrors(model, node),
  onActivate(ctx, el, node) {
    ctx.activated(el);
    const chosen = ctx.pi.start_element_ids;
    if (chosen?.length) {
      for (const id of chosen) ctx.activate(ctx.node(id), el.key);
      return;
    }
    const start = noneStartEvent(ctx.model, node);
    if (start) ctx.activate(start, el.key);
    else ctx.complete(el);
  },
};
