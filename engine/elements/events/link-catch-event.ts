import type { ElementBehavior } from '../behavior.js';
import { linkName } from './definitions.js';

/**
 * Link intermediate catch event: the target of a throw link event; it passes straight through to
 * its outgoing flows. A name must be unique among the catch links of its flow scope.
 */
export const linkCatchEventBehavior: ElementBehavior = {
  validate(node, model) {
    const name = linkName(node);
    if (!name) return ['Link name must be present and not empty.'];
    const first = [...model.nodes.values()].find(
      (n) => n.type === node.type && n.eventType === 'LINK' && n.parentId === node.parentId && linkName(n) === name,
    );
    return first && first.id !== node.id
      ? [`Multiple intermediate catch link event definitions with the same name '${name}' are not allowed.`]
      : [];
  },
  onActivate(ctx, el) {
    ctx.activated(el);
    ctx.complete(el);
  },
};
