import type { ElementBehavior } from '../behavior.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { checkSyntax, evaluateString } from '../../feel/index.js';
import { escalationCode } from './definitions.js';
import { catchEscalation, catchEscalationFrom } from '../../runtime/events/catch-escalation.js';
import { queueParentChild } from '../../runtime/parent-child.js';

/**
 * Escalation intermediate throw and end events: non-critical — the escalation goes to the innermost
 * catching scope (runtime/events/catch-escalation.ts) and the thrower moves on unless an interrupting
 * catch ended its scope. Uncaught, the process simply continues (Zeebe records NOT_ESCALATED).
 */
export const escalationThrowEventBehavior: ElementBehavior = {
  validate(node) {
    const code = escalationCode(node);
    if (!code || !code.raw.trim()) return ['Must reference an escalation with an escalation code'];
    const err = 'feel' in code ? checkSyntax(code.feel) : null;
    return err ? [err] : [];
  },
  onActivate(ctx, el, node) {
    const code = evaluateString(escalationCode(node)!.raw, ctx.visibleVariables(el.key), { now: ctx.now });
    if (!code.ok) throw new IncidentError('EXTRACT_VALUE_ERROR', code.message);
    ctx.activated(el);
    const record = (caught: boolean) =>
      ctx.record(
        'ESCALATION',
        caught ? 'ESCALATED' : 'NOT_ESCALATED',
        ctx.nextKey(),
        { escalationCode: code.value, throwElementId: el.element_id },
        el,
      );
    if (catchEscalation(ctx, el, code.value)) {
      record(true);
      ctx.complete(el);
      return;
    }
    if (!ctx.pi.parent_process_instance_key) {
      record(false);
      ctx.complete(el);
      return;
    }
    // Not caught in this instance: up the call hierarchy, from the call activity (same transaction).
    // An interrupting catch there ends this instance, so the thrower does not complete.
    queueParentChild(ctx, async (session) => {
      let current = ctx;
      while (current.pi.parent_process_instance_key) {
        const parent = await session.load(current.pi.parent_process_instance_key);
        const callEl = parent?.element(current.pi.parent_element_instance_key!);
        if (!parent || !callEl || !parent.isActive(callEl)) break;
        const caughtBy = catchEscalationFrom(parent, callEl, code.value);
        if (caughtBy) {
          record(true);
          const interrupting =
            caughtBy.type === 'BOUNDARY_EVENT' ? caughtBy.cancelActivity !== false : caughtBy.isInterrupting !== false;
          if (!interrupting) ctx.complete(el);
          return;
        }
        current = parent;
      }
      record(false);
      ctx.complete(el);
    });
  },
};
