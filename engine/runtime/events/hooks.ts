import type { ElementInstanceRow } from '../../store/rows.js';
import type { InstanceContext } from '../context.js';
import { isWaitingEvent } from '../../elements/events/definitions.js';
import { closeHeld, openSubscription } from './subscribe.js';

const CONTAINERS = new Set(['PROCESS', 'SUB_PROCESS', 'EVENT_SUB_PROCESS']);

/**
 * On activation (after input mappings): the subscriptions of the boundary events attached to the
 * element, and of the event sub-processes a scope contains, open before its content runs.
 */
export function openAttachedSubscriptions(ctx: InstanceContext, el: ElementInstanceRow): void {
  const node = ctx.node(el.element_id);
  // Boundary events of a multi-instance activity belong to its body, not to each inner instance.
  const scope = el.flow_scope_key ? ctx.element(el.flow_scope_key) : undefined;
  const inner = scope?.element_type === 'MULTI_INSTANCE_BODY' && scope.element_id === el.element_id;
  if (!inner) {
    for (const id of node.boundaryEventIds) {
      const b = ctx.node(id);
      if (isWaitingEvent(b)) openSubscription(ctx, el, b);
    }
  }
  if (!CONTAINERS.has(node.type) || el.element_type === 'MULTI_INSTANCE_BODY') return;
  for (const id of node.children) {
    const esp = ctx.node(id);
    if (esp.type !== 'EVENT_SUB_PROCESS') continue;
    const start = esp.children.map((c) => ctx.node(c)).find((n) => n.type === 'START_EVENT');
    if (start && isWaitingEvent(start)) openSubscription(ctx, el, start);
  }
}

/** On completion: what the element still holds open (boundary and event sub-process subscriptions) is closed. */
export function closeAttachedSubscriptions(ctx: InstanceContext, el: ElementInstanceRow): void {
  closeHeld(ctx, el);
}
