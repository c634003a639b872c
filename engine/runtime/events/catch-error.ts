import type { FlowNode } from '../../model/types.js';
import type { ElementInstanceRow } from '../../store/rows.js';
import type { InstanceContext } from '../context.js';
import { errorCode } from '../../elements/events/definitions.js';
import { canTrigger, triggerEvent } from './trigger.js';

/** The error catch event among candidates for a code: one with that code first, else a catch-all (no code). */
function match(ctx: InstanceContext, candidates: FlowNode[], code: string, scopeKey: string): FlowNode | undefined {
  let catchAll: FlowNode | undefined;
  for (const c of candidates) {
    const e = errorCode(c);
    if (!e) {
      catchAll ??= c;
      continue;
    }
    const value = 'static' in e ? e.static : ctx.evaluate(e, scopeKey).value;
    if (value === code) return c;
  }
  return catchAll;
}

/**
 * Zeebe's error catching, innermost scope first: the boundary events of the element that threw,
 * then the error event sub-processes of its flow scope, then that scope's boundary events, and so on
 * up to the process. The error's variables go to the catch event (its output mappings apply).
 */
export function catchError(
  ctx: InstanceContext,
  source: ElementInstanceRow,
  code: string,
  _message: string,
  variables: Record<string, unknown> | null,
): boolean {
  let el: ElementInstanceRow | undefined = source;
  while (el) {
    const node = ctx.node(el.element_id);
    // A multi-instance activity's boundary events belong to its body (the next scope up), not to each inner instance.
    const boundaries = ctx.isInnerInstance(el)
      ? []
      : node.boundaryEventIds.map((id) => ctx.node(id)).filter((b) => b.eventType === 'ERROR');
    const boundary = match(ctx, boundaries, code, el.key);
    if (boundary && canTrigger(ctx, el, boundary) && triggerEvent(ctx, el, boundary, variables)) return true;
    if (!el.flow_scope_key) return false;
    const scope = ctx.element(el.flow_scope_key);
    if (!scope) return false;
    const starts = ctx
      .node(scope.element_id)
      .children.map((id) => ctx.node(id))
      .filter((n) => n.type === 'EVENT_SUB_PROCESS')
      .map((esp) =>
        esp.children.map((id) => ctx.node(id)).find((n) => n.type === 'START_EVENT' && n.eventType === 'ERROR'),
      )
      .filter((n): n is FlowNode => !!n);
    const start = match(ctx, starts, code, scope.key);
    if (start && triggerEvent(ctx, scope, start, variables)) return true;
    el = scope;
  }
  return false;
}
