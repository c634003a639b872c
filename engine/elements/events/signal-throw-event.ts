import type { ElementBehavior } from '../behavior.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { evaluateString, checkSyntax } from '../../feel/index.js';
import { signalName } from './definitions.js';
import { eventsOf } from '../../runtime/events/port.js';

/**
 * Signal intermediate throw and end events: the signal (with the element's local variables, i.e. its
 * input mappings) goes to the outbox in this command's transaction and is broadcast right after it
 * commits (Zeebe broadcasts in a follow-up command); the event passes on.
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
    // Durable hand-over: the scheduler broadcasts from the outbox, also after a crash right after this commit.
    ctx.save('signal_outbox', {
      key: ctx.nextKey(),
      signal_name: name.value,
      variables: ctx.localVariables(el.key),
      tenant_id: ctx.pi.tenant_id,
      process_instance_key: ctx.pi.key,
      created_at: ctx.now,
    });
    ctx.afterCommit.push(() => eventsOf(ctx)?.signalsThrown());
    ctx.activated(el);
    ctx.complete(el);
  },
};
