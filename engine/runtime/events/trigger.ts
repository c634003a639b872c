import type { FlowNode } from '../../model/types.js';
import type { ElementInstanceRow } from '../../store/rows.js';
import type { InstanceContext } from '../context.js';
import { consume, isConsumed, setPending } from './pending.js';
import { closeHeld } from './subscribe.js';

/** The event sub-process a start event belongs to, if it is one's start event. */
export function eventSubProcessOf(ctx: InstanceContext, event: FlowNode): FlowNode | undefined {
  if (event.type !== 'START_EVENT' || !event.parentId) return undefined;
  const parent = ctx.model.nodes.get(event.parentId);
  return parent?.type === 'EVENT_SUB_PROCESS' ? parent : undefined;
}

/** True while an interrupting event sub-process runs in the scope: no other event may trigger there. */
export function isInterrupted(ctx: InstanceContext, scopeKey: string): boolean {
  if (isConsumed(ctx, scopeKey)) return true;
  return ctx.activeChildren(scopeKey).some((c) => {
    if (c.element_type !== 'EVENT_SUB_PROCESS') return false;
    const start = ctx
      .node(c.element_id)
      .children.map((id) => ctx.node(id))
      .find((n) => n.type === 'START_EVENT');
    return start?.isInterrupting !== false;
  });
}

/** Can an event held by this element instance trigger now (Zeebe: only while it is ACTIVATED)? */
export function canTrigger(
  ctx: InstanceContext,
  holder: ElementInstanceRow | undefined,
  event: FlowNode,
): holder is ElementInstanceRow {
  if (!holder || holder.state !== 'ACTIVATED' || isConsumed(ctx, holder.key)) return false;
  if (eventSubProcessOf(ctx, event) && isInterrupted(ctx, holder.key)) return false;
  return true;
}

/**
 * Triggers a catch event held by `holder` with the event's variables (Zeebe's EventTriggerBehavior):
 * - the catch event / receive task itself completes;
 * - an event-based gateway completes and takes the flow to the event, which then completes at once;
 * - a boundary event activates; interrupting, the attached activity is terminated first;
 * - an event sub-process activates in the holder's scope; interrupting, everything else there ends.
 * Returns false when the holder can no longer be triggered.
 */
export function triggerEvent(
  ctx: InstanceContext,
  holder: ElementInstanceRow | undefined,
  event: FlowNode,
  variables: Record<string, unknown> | null,
): boolean {
  if (!canTrigger(ctx, holder, event)) return false;
  if (holder.element_id === event.id) {
    consume(ctx, holder.key);
    if (variables) ctx.temporaryVariables.set(holder.key, variables);
    ctx.complete(holder);
    return true;
  }
  if (holder.element_type === 'EVENT_BASED_GATEWAY') {
    consume(ctx, holder.key);
    const flow = ctx.node(holder.element_id).outgoing.find((f) => f.targetId === event.id)!;
    setPending(ctx, `${holder.flow_scope_key}|${event.id}`, variables);
    ctx.chosenFlows.set(holder.key, [flow]);
    ctx.complete(holder);
    return true;
  }
  if (event.type === 'BOUNDARY_EVENT') {
    if (event.cancelActivity !== false) {
      consume(ctx, holder.key);
      ctx.terminate(holder);
    }
    const b = ctx.activate(event, holder.flow_scope_key);
    setPending(ctx, b.key, variables);
    return true;
  }
  const esp = eventSubProcessOf(ctx, event);
  if (esp) {
    const interrupting = event.isInterrupting !== false;
    const sub = ctx.activate(esp, holder.key);
    setPending(ctx, sub.key, variables);
    if (interrupting) {
      consume(ctx, holder.key);
      // The scope's other event sub-process starts close; its own boundary events stay (they sit outside the scope).
      closeHeld(ctx, holder, (id) => !!eventSubProcessOf(ctx, ctx.node(id)));
      for (const sibling of ctx.activeChildren(holder.key)) if (sibling.key !== sub.key) ctx.terminate(sibling);
      ctx.clearWaitingTokens(holder.key);
    }
    return true;
  }
  return false;
}
