import type { ElementBehavior } from '../behavior.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { checkSyntax, evaluateString } from '../../feel/index.js';
import { escalationCode } from './definitions.js';
import { catchEscalation } from '../../runtime/events/catch-escalation.js';

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
    const caught = catchEscalation(ctx, el, code.value);
    ctx.record('ESCALATION', caught ? 'ESCALATED' : 'NOT_ESCALATED', ctx.nextKey(), { escalationCode: code.value, throwElementId: el.element_id }, el);
    ctx.complete(el);
  },
};
