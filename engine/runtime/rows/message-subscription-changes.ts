import type { ElementInstanceRow } from '../../store/rows.js';
import type { GenericRow } from '../../store/rows.js';
import type { UnitOfWork } from '../unit-of-work.js';

/** Every change of a message subscription of an instance (PROCESS_MESSAGE_SUBSCRIPTION), recorded here only. */

export function createMessageSubscription(ctx: UnitOfWork, sub: GenericRow, holder: ElementInstanceRow): void {
  ctx.subscriptions.set(sub.key, sub);
  ctx.save('message_subscription', sub);
  ctx.record(
    'PROCESS_MESSAGE_SUBSCRIPTION',
    'CREATED',
    sub.key,
    {
      messageName: sub.message_name,
      correlationKey: sub.correlation_key,
      elementId: sub.element_id,
      interrupting: sub.interrupting,
      elementInstanceKey: holder.key,
    },
    holder,
  );
}

/** A message correlated: an interrupting subscription is used up, a non-interrupting one stays open. */
export function correlateMessageSubscription(
  ctx: UnitOfWork,
  sub: GenericRow,
  holder: ElementInstanceRow | undefined,
  message: { key: string; name: string; correlationKey: string; variables: Record<string, unknown> },
  staysOpen: boolean,
): void {
  if (!staysOpen) {
    sub.state = 'CORRELATED';
    sub.updated_at = ctx.now;
    ctx.save('message_subscription', sub);
  }
  ctx.record(
    'PROCESS_MESSAGE_SUBSCRIPTION',
    'CORRELATED',
    sub.key,
    {
      messageName: message.name,
      correlationKey: message.correlationKey,
      messageKey: message.key,
      elementId: sub.element_id,
      variables: message.variables,
    },
    holder,
  );
}

/** The holder completed or was terminated, or an interrupting event took over its scope. */
export function deleteMessageSubscription(ctx: UnitOfWork, sub: GenericRow, holder: ElementInstanceRow): void {
  sub.state = 'DELETED';
  sub.updated_at = ctx.now;
  ctx.save('message_subscription', sub);
  ctx.record(
    'PROCESS_MESSAGE_SUBSCRIPTION',
    'DELETED',
    sub.key,
    { messageName: sub.message_name, correlationKey: sub.correlation_key, elementId: sub.element_id },
    holder,
  );
}
