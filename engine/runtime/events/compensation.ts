import type pg from 'pg';
import type { FlowNode, ProcessModel } from '../../model/types.js';
import type { CompensationSubscriptionRow, ElementInstanceRow } from '../../store/rows.js';
import type { InstanceContext } from '../context.js';
import { queueParentChild } from '../parent-child.js';
import { keepScratch } from '../scratch.js';

/**
 * Compensation as Camunda 8 documents it: a completed activity with a compensation boundary event
 * leaves a subscription; a compensation throw (intermediate or end) event triggers those of its flow
 * scope — also inside completed embedded sub-processes below it, never in active or terminated ones,
 * and never beyond a call activity — activates each boundary event and then its handler, and
 * completes when every handler it invoked has completed. A multi-instance activity is compensated
 * once, when its body completes. Subscriptions of an instance live in rows that commands load only
 * when a compensation happens (parent-child work: the throw's own transaction, after its steps).
 */

type Sub = CompensationSubscriptionRow;

const TABLE = 'compensation_subscription' as const;

/** The compensation boundary event attached to an activity, if any. */
export function compensationBoundaryOf(node: FlowNode, model: ProcessModel): FlowNode | undefined {
  return node.boundaryEventIds.map((id) => model.nodes.get(id)!).find((b) => b.eventType === 'COMPENSATION');
}

/** The handler a compensation boundary event is associated with (bpmn:association in the containers' artifacts). */
export function compensationHandlerOf(boundary: FlowNode, model: ProcessModel): FlowNode | undefined {
  for (const container of model.nodes.values()) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bpmn-moddle objects are untyped
    for (const a of (container.moddle?.artifacts ?? []) as any[]) {
      if (a.$type !== 'bpmn:Association' || a.sourceRef?.id !== boundary.id) continue;
      const target = model.nodes.get(a.targetRef?.id);
      if (target?.moddle?.isForCompensation) return target;
    }
  }
  return undefined;
}

function recordSub(ctx: InstanceContext, sub: Sub, intent: string, el: ElementInstanceRow | null): void {
  ctx.record(
    'COMPENSATION_SUBSCRIPTION',
    intent,
    sub.key,
    {
      tenantId: sub.tenant_id,
      processInstanceKey: sub.process_instance_key,
      processDefinitionKey: sub.process_definition_key,
      compensableActivityId: sub.compensable_activity_id,
      compensableActivityInstanceKey: sub.compensable_activity_instance_key,
      compensableActivityScopeKey: sub.compensable_activity_scope_key,
      compensableActivityScopeId: sub.compensable_activity_scope_id,
      compensationHandlerId: sub.compensation_handler_id,
      compensationHandlerInstanceKey: sub.compensation_handler_instance_key ?? '-1',
      throwEventId: sub.throw_event_id ?? '',
      throwEventInstanceKey: sub.throw_event_instance_key ?? '-1',
      variables: {},
    },
    el,
  );
}

function change(ctx: InstanceContext, sub: Sub, state: Sub['state'], el: ElementInstanceRow | null): void {
  sub.state = state;
  ctx.save(TABLE, sub);
  recordSub(ctx, sub, state, el);
}

/** Open subscriptions of the instance: the stored ones overlaid with this transaction's changes. */
async function openSubs(ctx: InstanceContext, client: pg.PoolClient): Promise<Sub[]> {
  const { rows } = await client.query(
    `SELECT * FROM engine.compensation_subscription WHERE process_instance_key = $1 AND state IN ('CREATED','TRIGGERED')`,
    [ctx.pi.key],
  );
  const byKey = new Map<string, Sub>(rows.map((r) => [String(r.key), r as Sub]));
  for (const [, row] of ctx.dirty.get(TABLE) ?? []) byKey.set((row as unknown as Sub).key, row as unknown as Sub);
  return [...byKey.values()].filter((s) => s.state === 'CREATED' || s.state === 'TRIGGERED');
}

/** States of scopes not loaded in the context (completed or terminated sub-process instances). */
async function scopeStates(ctx: InstanceContext, client: pg.PoolClient, keys: string[]): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  const missing = keys.filter((k) => {
    const el = ctx.element(k);
    if (el) states.set(k, el.state);
    return !el;
  });
  if (missing.length) {
    const { rows } = await client.query(
      `SELECT key, state FROM engine.element_instance WHERE key = ANY($1::bigint[])`,
      [missing],
    );
    for (const r of rows) states.set(String(r.key), r.state as string);
  }
  return states;
}

// A run split across transactions between a boundary event's activation and its completion carries the
// subscription it is to activate the handler for (continuation.ts).
keepScratch('compensationHandlers', {
  save: (ctx) => (ctx.compensationHandlers.size ? [...ctx.compensationHandlers] : undefined),
  restore(ctx, data) {
    for (const [boundaryKey, sub] of data as Array<[string, Sub]>)
      ctx.compensationHandlers.set(boundaryKey, { ...sub, created_at: new Date(sub.created_at) });
  },
});

/**
 * A compensation throw event is ACTIVATED: trigger the subscriptions of `scopeKey` (optionally only
 * the one of `activityRef`); with none to trigger, the event completes at once.
 */
export function triggerCompensation(
  ctx: InstanceContext,
  thrower: ElementInstanceRow,
  scopeKey: string,
  activityRef: string | undefined,
): void {
  queueParentChild(ctx, async (session) => {
    const subs = await openSubs(ctx, session.client);
    const candidates = subs.filter(
      (s) =>
        s.state === 'CREATED' &&
        s.scope_path.includes(scopeKey) &&
        (!activityRef || (s.compensable_activity_id === activityRef && s.scope_path[0] === scopeKey)),
    );
    const inner = [...new Set(candidates.flatMap((s) => s.scope_path.slice(0, s.scope_path.indexOf(scopeKey))))];
    const states = await scopeStates(ctx, session.client, inner);
    // Only completed sub-processes are compensated into; active or terminated ones are not.
    const chosen = candidates
      .filter((s) => s.scope_path.slice(0, s.scope_path.indexOf(scopeKey)).every((k) => states.get(k) === 'COMPLETED'))
      .sort((a, b) => (BigInt(b.key) > BigInt(a.key) ? 1 : -1)); // the most recently completed first
    if (!chosen.length) {
      if (thrower.state === 'ACTIVATED') ctx.complete(thrower);
      return;
    }
    for (const sub of chosen) {
      sub.throw_event_id = thrower.element_id;
      sub.throw_event_instance_key = thrower.key;
      change(ctx, sub, 'TRIGGERED', thrower);
      const boundary = compensationBoundaryOf(ctx.node(sub.compensable_activity_id), ctx.model)!;
      const b = ctx.activate(boundary, thrower.flow_scope_key);
      ctx.compensationHandlers.set(b.key, sub);
    }
  });
}

/** The compensation boundary event completed: its handler runs, in the throw event's flow scope. */
export function activateHandler(ctx: InstanceContext, boundaryEl: ElementInstanceRow, boundary: FlowNode): void {
  const sub = ctx.compensationHandlers.get(boundaryEl.key);
  const handler = compensationHandlerOf(boundary, ctx.model);
  if (!sub || !handler) return;
  const h = ctx.activate(handler, boundaryEl.flow_scope_key);
  sub.compensation_handler_instance_key = h.key;
  ctx.save(TABLE, sub);
}

/** Completion hook: new subscriptions for compensable activities; handlers finishing their subscription. */
function onCompleting(ctx: InstanceContext, el: ElementInstanceRow): void {
  if (!hasCompensation(ctx.model) || ctx.isInnerInstance(el) || el.element_type === 'PROCESS') return;
  const node = ctx.node(el.element_id);
  const boundary = compensationBoundaryOf(node, ctx.model);
  const handler = boundary && compensationHandlerOf(boundary, ctx.model);
  if (handler && el.flow_scope_key) {
    const sub: Sub = {
      key: ctx.nextKey(),
      state: 'CREATED',
      process_instance_key: ctx.pi.key,
      process_definition_key: ctx.pi.process_definition_key,
      tenant_id: ctx.pi.tenant_id,
      compensable_activity_id: node.id,
      compensable_activity_instance_key: el.key,
      compensable_activity_scope_key: el.flow_scope_key,
      compensable_activity_scope_id: ctx.element(el.flow_scope_key)?.element_id ?? ctx.pi.bpmn_process_id,
      scope_path: ctx.scopeChain(el.flow_scope_key),
      compensation_handler_id: handler.id,
      compensation_handler_instance_key: null,
      throw_event_id: null,
      throw_event_instance_key: null,
      created_at: ctx.now,
    };
    change(ctx, sub, 'CREATED', el);
  }
  if (node.moddle?.isForCompensation) finishHandler(ctx, el);
}

/** A handler completed: its subscription is COMPLETED; the throw event completes after its last handler. */
function finishHandler(ctx: InstanceContext, handlerEl: ElementInstanceRow): void {
  queueParentChild(ctx, async (session) => {
    const subs = await openSubs(ctx, session.client);
    const sub = subs.find((s) => s.compensation_handler_instance_key === handlerEl.key && s.state === 'TRIGGERED');
    if (!sub) return;
    change(ctx, sub, 'COMPLETED', handlerEl);
    const thrower = sub.throw_event_instance_key ? ctx.element(sub.throw_event_instance_key) : undefined;
    const waiting = subs.some(
      (s) => s !== sub && s.state === 'TRIGGERED' && s.throw_event_instance_key === sub.throw_event_instance_key,
    );
    if (thrower && thrower.state === 'ACTIVATED' && !waiting) ctx.complete(thrower);
  });
}

const compensable = new WeakMap<ProcessModel, boolean>();

/** Does the model have any compensation boundary event? (Only then do process ends look for subscriptions.) */
function hasCompensation(model: ProcessModel): boolean {
  let known = compensable.get(model);
  if (known === undefined) {
    known = [...model.nodes.values()].some((n) => n.type === 'BOUNDARY_EVENT' && n.eventType === 'COMPENSATION');
    compensable.set(model, known);
  }
  return known;
}

/** When the instance ends, what was not compensated is DELETED (as Zeebe does). */
function onProcessEnd(ctx: InstanceContext): void {
  if (!hasCompensation(ctx.model)) return;
  queueParentChild(ctx, async (session) => {
    for (const sub of await openSubs(ctx, session.client)) change(ctx, sub, 'DELETED', null);
  });
}

/** Compensation's runtime hooks (installed by the events feature, index.ts). */
export const compensationHooks = { onCompleting, onProcessEnd };
