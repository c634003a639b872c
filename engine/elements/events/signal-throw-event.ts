import type { ElementBehavior } from '../behavior.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { evaluateString, checkSyntax } from '../../feel/index.js';
import { signalName } from './definitions.js';
import { eventsOf } from '../../runtime/events/registry.js';

/**
 * Signal intermediate throw and end events: broadcast the signal (with the element's local
 * variables, i.e. its input mappings) once the command commits, and pass on.
 */
export const signalThrowEventBehavior: ElementBehavior = {
  validate(node) {
    const name = signalName(node);
    if (!name || !name.raw.trim()) return ['Must reference a signal'];
    const err = 'feel' in name ? checkSyntax(name.feel) : null;
    return err ? [err] : [];
  },
  onActivate(ctx, el, node) {
    const name = evaluateString(signalName(node)!.raw, ctx.visibleVariables(el.key), { now: ctx.now });
    if (!name.ok) throw new IncidentError('EXTRACT_VALUE_ERROR', name.message);
    const variables = ctx.localVariables(el.key);
    const tenantId = ctx.pi.tenant_id;
    ctx.afterCommit.push(() => eventsOf(ctx)?.broadcast(name.value, variables, tenantId));
    ctx.activated(el);
    ctx.complete(el);
  },
};
