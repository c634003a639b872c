import type { ElementBehavior } from '../behavior.js';
import { linkCatchesOf, linkName } from './definitions.js';

/**
 * Link intermediate throw event: completes, then the catch link event of the same name in the same
 * flow scope is activated (no sequence flow is taken), as Zeebe does. Deployment checks and their
 * wording follow Zeebe's link event validation.
 */
export const linkThrowEventBehavior: ElementBehavior = {
  validate(node, model) {
    if (!linkName(node)) return ['Link name must be present and not empty.'];
    if (!linkCatchesOf(node, model).length)
      return ['Intermediate throw and catch link event definitions must appear in pairs.'];
    return [];
  },
  onActivate(ctx, el) {
    ctx.activated(el);
    ctx.complete(el);
  },
  onCompleted(ctx, el, node) {
    const [target] = linkCatchesOf(node, ctx.model);
    ctx.activate(target, el.flow_scope_key);
  },
};
