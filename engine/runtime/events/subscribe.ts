import type { FlowNode } from '../../model/types.js';
import type { ElementInstanceRow } from '../../store/rows.js';
import type { GenericRow, InstanceContext } from '../context.js';
import { IncidentError } from '../incident-error.js';
import { evaluateCorrelationKey, evaluateRaw, evaluateString } from '../../feel/index.js';
import { parseTimer } from '../../timers/index.js';
import { messageDef, signalName, timerDef } from '../../elements/events/definitions.js';
import { eventsOf } from './port.js';
import { cancelTimer, createTimer } from '../rows/timer-changes.js';
import { createMessageSubscription, deleteMessageSubscription } from '../rows/message-subscription-changes.js';

/** Is a boundary event / event sub-process start non-interrupting (its subscription stays open when triggered)? */
export function isNonInterrupting(node: FlowNode): boolean {
  if (node.type === 'BOUNDARY_EVENT') return node.cancelActivity === false;
  if (node.type === 'START_EVENT' && node.parentId)
    return node.isInterrupting === false && !!node.moddle.$parent?.triggeredByEvent;
  return false;
}

function options(ctx: InstanceContext, scopeKey: string) {
  const now = ctx.now;
  return { now, evaluate: (body: string) => evaluateRaw(body, ctx.visibleVariables(scopeKey), { now }) };
}

/**
 * Opens the subscription of a catch event (timer, message, signal) held by an element instance: the
 * catch event itself, a receive task, an event-based gateway, the activity a boundary event is
 * attached to, or the scope of an event sub-process. Expressions are evaluated in the holder's scope;
 * a failure is an incident on the holder.
 */
export function openSubscription(ctx: InstanceContext, holder: ElementInstanceRow, event: FlowNode): void {
  const scopeKey = holder.key;
  // A retried activation (its incident resolved) must not open what the first attempt already opened.
  const open = (rows: Iterable<GenericRow>) =>
    [...rows].some((r) => r.element_instance_key === holder.key && r.element_id === event.id && r.state === 'CREATED');
  if (open(ctx.timers.values()) || open(ctx.subscriptions.values())) return;
  if (event.eventType === 'TIMER') return openTimer(ctx, holder, event, scopeKey);
  if (event.eventType === 'SIGNAL') return openSignal(ctx, holder, event, scopeKey);
  if (event.eventType === 'MESSAGE' || event.type === 'RECEIVE_TASK') return openMessage(ctx, holder, event, scopeKey);
}

export function openTimer(
  ctx: InstanceContext,
  holder: ElementInstanceRow,
  event: FlowNode,
  scopeKey: string,
  dueOverride?: { dueAt: Date; repetitions: number },
): void {
  const def = timerDef(event)!;
  let dueAt: Date;
  let repetitions: number;
  if (dueOverride) ({ dueAt, repetitions } = dueOverride);
  else {
    const timer = parseTimer(def.kind, def.value, ctx.now, options(ctx, scopeKey).evaluate);
    if (!timer.ok) throw new IncidentError('EXTRACT_VALUE_ERROR', timer.message);
    dueAt = timer.dueAt;
    repetitions = timer.repetitions === 'infinite' ? -1 : timer.repetitions;
  }
  const row: GenericRow = {
    key: ctx.nextKey(),
    state: 'CREATED',
    due_date: dueAt,
    repetitions,
    cycle: def.kind === 'timeCycle' ? def.value : null,
    ...ownedBy(ctx, holder, event),
  };
  createTimer(ctx, row, holder);
  ctx.afterCommit.push(() => eventsOf(ctx)?.timersChanged());
}

function openMessage(ctx: InstanceContext, holder: ElementInstanceRow, event: FlowNode, scopeKey: string): void {
  const def = messageDef(event)!;
  const opts = options(ctx, scopeKey);
  const name = evaluateString(def.name.raw, {}, opts);
  if (!name.ok) throw new IncidentError('EXTRACT_VALUE_ERROR', name.message);
  const key = evaluateCorrelationKey(def.correlationKey?.raw ?? '', {}, opts);
  if (!key.ok) throw new IncidentError('EXTRACT_VALUE_ERROR', key.message);
  const row: GenericRow = {
    key: ctx.nextKey(),
    state: 'CREATED',
    message_name: name.value,
    correlation_key: key.value,
    ...ownedBy(ctx, holder, event),
    interrupting: !isNonInterrupting(event),
    updated_at: ctx.now,
  };
  createMessageSubscription(ctx, row, holder);
  ctx.afterCommit.push(() => eventsOf(ctx)?.subscriptionsOpened());
}

function openSignal(ctx: InstanceContext, holder: ElementInstanceRow, event: FlowNode, scopeKey: string): void {
  const name = evaluateString(signalName(event)!.raw, {}, options(ctx, scopeKey));
  if (!name.ok) throw new IncidentError('EXTRACT_VALUE_ERROR', name.message);
  const row = {
    key: ctx.nextKey(),
    signal_name: name.value,
    ...ownedBy(ctx, holder, event),
    interrupting: !isNonInterrupting(event),
  };
  ctx.save('signal_subscription', row);
  ctx.record(
    'SIGNAL_SUBSCRIPTION',
    'CREATED',
    row.key,
    { signalName: name.value, catchEventId: event.id, catchEventInstanceKey: holder.key },
    holder,
  );
}

/**
 * Closes the timers and message subscriptions an element instance still holds (it completes, or an
 * interrupting event took over its scope). Signal subscriptions of elements that left are ignored by
 * broadcasts and swept by the scheduler.
 */
export function closeHeld(
  ctx: InstanceContext,
  holder: ElementInstanceRow,
  only?: (elementId: string) => boolean,
): void {
  for (const timer of ctx.timers.values()) {
    if (timer.element_instance_key !== holder.key || timer.state !== 'CREATED') continue;
    if (only && !only(timer.element_id as string)) continue;
    cancelTimer(ctx, timer, holder);
  }
  for (const sub of ctx.subscriptions.values()) {
    if (sub.element_instance_key !== holder.key || sub.state !== 'CREATED') continue;
    if (only && !only(sub.element_id as string)) continue;
    deleteMessageSubscription(ctx, sub, holder);
  }
}

/** The columns every subscription row (timer, message, signal) shares: which element instance holds it. */
function ownedBy(ctx: InstanceContext, holder: ElementInstanceRow, event: FlowNode) {
  return {
    element_id: event.id,
    element_instance_key: holder.key,
    process_instance_key: ctx.pi.key,
    process_definition_key: ctx.pi.process_definition_key,
    bpmn_process_id: ctx.pi.bpmn_process_id,
    tenant_id: ctx.pi.tenant_id,
    created_at: ctx.now,
  };
}
