import type { FlowNode } from '../../model/types.js';
import type { ElementInstanceRow } from '../../store/rows.js';
import type { InstanceContext } from '../context.js';
import { escalationCode } from '../../elements/events/definitions.js';
import { canTrigger, triggerEvent } from './trigger.js';

/** Catch events for a code: a static code equal to it first, else a catch-all (no escalation reference). */
function match(candidates: FlowNode[], code: string): FlowNode | undefined {
  let catchAll: FlowNode | undefined;
  for (const c of candidates) {
    const e = escalationCode(c);
    if (!e) catchAll ??= c;
    else if (e.raw.trim() === code) return c;
  }
  return catchAll;
}

/**
 * Zeebe's escalation: from the throwing event's flow scope upwards, the escalation event
 * sub-processes of each scope, then the escalation boundary events of that scope. Interrupting catch
 * events end the scope (and so the thrower); non-interrupting ones run alongside. Returns whether it
 * was caught (uncaught escalations are not an incident: the process goes on).
 */
export function catchEscalation(ctx: InstanceContext, source: ElementInstanceRow, code: string): boolean {
  return !!catchEscalationFrom(ctx, source.flow_scope_key ? ctx.element(source.flow_scope_key) : undefined, code);
}

/** The same search starting at a given element instance (a call activity, for an escalation from its child); the catch event that took it. */
export function catchEscalationFrom(
  ctx: InstanceContext,
  first: ElementInstanceRow | undefined,
  code: string,
): FlowNode | undefined {
  let scope = first;
  while (scope) {
    const node = ctx.node(scope.element_id);
    const starts = node.children
      .map((id) => ctx.node(id))
      .filter((n) => n.type === 'EVENT_SUB_PROCESS')
      .map((esp) =>
        esp.children.map((id) => ctx.node(id)).find((n) => n.type === 'START_EVENT' && n.eventType === 'ESCALATION'),
      )
      .filter((n): n is FlowNode => !!n);
    const start = match(starts, code);
    if (start && triggerEvent(ctx, scope, start, null)) return start;
    const boundary = match(
      node.boundaryEventIds.map((id) => ctx.node(id)).filter((b) => b.eventType === 'ESCALATION'),
      code,
    );
    if (boundary && canTrigger(ctx, scope, boundary) && triggerEvent(ctx, scope, boundary, null)) return boundary;
    scope = scope.flow_scope_key ? ctx.element(scope.flow_scope_key) : undefined;
  }
  return undefined;
}
