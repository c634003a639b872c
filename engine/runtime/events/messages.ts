import type { Runtime } from '../runtime.js';
import type { GenericRow, InstanceContext } from '../context.js';
import {
  alreadyCorrelated,
  bufferedMatches,
  bufferedStartMatches,
  expireMessages,
  instanceSubscriptionsFor,
  startSubscriptionsFor,
  type MessageRow,
} from '../../store/events.js';
import { insertSql, literal } from '../../store/sql.js';
import { recordsSql } from '../../store/instance-state.js';
import { instancelessRecord } from '../../store/rows.js';
import { Rejection, notFound } from '../errors.js';
import { startInstanceAtEvent } from './starts.js';
import { isNonInterrupting } from './subscribe.js';
import { triggerEvent } from './trigger.js';
import { correlateMessageSubscription } from '../rows/message-subscription-changes.js';

export interface PublishRequest {
  name: string;
  correlationKey?: string;
  timeToLive?: number;
  messageId?: string;
  variables?: Record<string, unknown>;
  tenantId?: string;
}

interface Message {
  key: string;
  name: string;
  correlationKey: string;
  messageId: string | null;
  variables: Record<string, unknown>;
  timeToLive: number;
  tenantId: string;
  /** Stored (TTL > 0): correlations are remembered so it meets each instance once. */
  buffered: boolean;
}

function fromRow(m: MessageRow): Message {
  return {
    key: m.key,
    name: m.name,
    correlationKey: m.correlation_key,
    messageId: m.message_id,
    variables: JSON.parse(m.variables),
    timeToLive: Number(m.time_to_live),
    tenantId: m.tenant_id,
    buffered: true,
  };
}

function messageValue(m: Message): Record<string, unknown> {
  return {
    name: m.name,
    correlationKey: m.correlationKey,
    messageId: m.messageId ?? '',
    timeToLive: m.timeToLive,
    variables: m.variables,
  };
}

function record(m: Message, intent: string, now: Date) {
  return instancelessRecord(m.key, 'MESSAGE', intent, m.tenantId, now, messageValue(m));
}

/**
 * Correlates a message to one process instance: the oldest open subscription for it whose element
 * can still be triggered. A buffered message meets each process (BPMN process id) at most once (Zeebe).
 */
async function deliver(rt: Runtime, m: Message, piKey: string): Promise<boolean> {
  try {
    return await rt.withInstance(piKey, null, async (ctx, client) => {
      if (ctx.pi.state !== 'ACTIVE') return false;
      if (m.buffered && (await alreadyCorrelated(client, m.key, piKey))) return false;
      return correlateIn(ctx, m);
    });
  } catch (e) {
    if (e instanceof Rejection && e.status === 404) return false;
    throw e;
  }
}

function correlateIn(ctx: InstanceContext, m: Message): boolean {
  const subs = [...ctx.subscriptions.values()]
    .filter(
      (s) =>
        s.state === 'CREATED' &&
        s.element_instance_key &&
        s.message_name === m.name &&
        s.correlation_key === m.correlationKey &&
        s.tenant_id === m.tenantId,
    )
    .sort((a, b) => (BigInt(a.key) < BigInt(b.key) ? -1 : 1));
  for (const sub of subs) {
    const holder = ctx.element(sub.element_instance_key!);
    const event = ctx.node(sub.element_id as string);
    if (!triggerEvent(ctx, holder, event, m.variables)) continue;
    correlateMessageSubscription(ctx, sub, holder, m, isNonInterrupting(event));
    if (m.buffered)
      ctx.save('message_correlation', {
        message_key: m.key,
        process_instance_key: ctx.pi.key,
        subscription_key: sub.key,
        created_at: ctx.now,
      });
    return true;
  }
  return false;
}

/**
 * Message start events: a new instance of each process subscribed to the message (latest version).
 * With a correlation key, only while no instance started by that key is still active (Zeebe).
 */
async function startInstances(rt: Runtime, m: Message, subscriptions?: GenericRow[]): Promise<string[]> {
  const started: string[] = [];
  for (const sub of subscriptions ?? (await startSubscriptionsFor(rt.store.pool, m.name, m.tenantId))) {
    await rt.keys.ensure(256);
    const ctx = await rt.tx(async (client) => {
      if (m.correlationKey) {
        await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
          `${m.tenantId}|${sub.bpmn_process_id}|${m.correlationKey}`,
        ]);
        const { rowCount } = await client.query(
          `SELECT 1 FROM engine.message_start_lock l JOIN engine.process_instance p ON p.key = l.process_instance_key AND p.state = 'ACTIVE'
            WHERE l.tenant_id = $1 AND l.bpmn_process_id = $2 AND l.correlation_key = $3`,
          [m.tenantId, sub.bpmn_process_id, m.correlationKey],
        );
        if (rowCount) {
          await client.query('ROLLBACK');
          return null;
        }
      }
      const c = await startInstanceAtEvent(
        rt,
        client,
        sub.process_definition_key as string,
        sub.element_id as string,
        m.variables,
      );
      if (!c) {
        await client.query('ROLLBACK');
        return null;
      }
      c.record('MESSAGE_START_EVENT_SUBSCRIPTION', 'CORRELATED', sub.key, {
        messageName: m.name,
        correlationKey: m.correlationKey,
        messageKey: m.key,
        startEventId: sub.element_id,
        variables: m.variables,
      });
      const extra: string[] = [];
      if (m.correlationKey)
        extra.push(
          `INSERT INTO engine.message_start_lock (tenant_id, bpmn_process_id, correlation_key, process_instance_key) VALUES (${literal(m.tenantId)}, ${literal(sub.bpmn_process_id)}, ${literal(m.correlationKey)}, ${BigInt(c.pi.key)})
           ON CONFLICT (tenant_id, bpmn_process_id, correlation_key) DO UPDATE SET process_instance_key = EXCLUDED.process_instance_key`,
        );
      if (m.buffered)
        extra.push(
          insertSql('message_correlation', [
            { message_key: m.key, process_instance_key: c.pi.key, subscription_key: sub.key, created_at: c.now },
          ]),
        );
      await client.query([...extra, rt.commitSql(c)].join(';\n'));
      return c;
    });
    if (ctx) {
      rt.afterCommit(ctx);
      started.push(ctx.pi.key);
    }
  }
  return started;
}

/**
 * Delivers a message as Zeebe does: to one waiting instance per process (BPMN process id, oldest subscription
 * first), then to the message start events of the processes it did not reach yet. The instance keys it reached.
 */
async function correlateEverywhere(rt: Runtime, m: Message): Promise<string[]> {
  const reached: string[] = [];
  const processes = new Set<string>();
  for (const { processInstanceKey, bpmnProcessId } of await instanceSubscriptionsFor(
    rt.store.pool,
    m.name,
    m.correlationKey,
    m.tenantId,
  )) {
    if (processes.has(bpmnProcessId)) continue;
    if (await deliver(rt, m, processInstanceKey)) {
      reached.push(processInstanceKey);
      processes.add(bpmnProcessId);
    }
  }
  const starts = (await startSubscriptionsFor(rt.store.pool, m.name, m.tenantId)).filter(
    (s) => !processes.has(s.bpmn_process_id as string),
  );
  if (starts.length) reached.push(...(await startInstances(rt, m, starts)));
  return reached;
}

async function newMessage(rt: Runtime, req: PublishRequest, ttl: number): Promise<Message> {
  await rt.keys.ensure(16);
  return {
    key: rt.keys.take(),
    name: req.name,
    correlationKey: req.correlationKey ?? '',
    messageId: ttl > 0 && req.messageId ? req.messageId : null,
    variables: req.variables ?? {},
    timeToLive: ttl,
    tenantId: req.tenantId ?? '<default>',
    buffered: ttl > 0,
  };
}

/**
 * Publish (Zeebe): the message correlates to every instance waiting for it right now and starts
 * instances at message start events; with a TTL it stays buffered for subscriptions opened later.
 * A messageId already buffered is rejected (409 ALREADY_EXISTS).
 */
export async function publishMessage(
  rt: Runtime,
  req: PublishRequest,
): Promise<{ messageKey: string; tenantId: string }> {
  const ttl = Math.max(0, req.timeToLive ?? 0);
  const m = await newMessage(rt, req, ttl);
  const now = rt.clock.now();
  if (m.buffered) {
    // An id is free again once its message expired, even before the scheduler swept it.
    if (m.messageId) await expireMessages(rt.store.pool, now);
    const inserted = await rt.store.pool.query(
      `WITH ins AS (
         INSERT INTO engine.message (key, state, name, correlation_key, message_id, variables, time_to_live, deadline, tenant_id, created_at)
         VALUES ($1, 'PUBLISHED', $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (tenant_id, name, message_id) WHERE message_id IS NOT NULL AND state = 'PUBLISHED' DO NOTHING RETURNING key)
       SELECT key FROM ins`,
      [
        m.key,
        m.name,
        m.correlationKey,
        m.messageId,
        JSON.stringify(m.variables),
        ttl,
        new Date(now.getTime() + ttl),
        m.tenantId,
        now,
      ],
    );
    if (!inserted.rowCount)
      throw new Rejection(
        409,
        'ALREADY_EXISTS',
        `Command 'PUBLISH' rejected with code 'ALREADY_EXISTS': Expected to publish a new message with id '${m.messageId}', but a message with that id was already published`,
      );
  }
  await rt.store.pool.query(recordsSql([record(m, 'PUBLISHED', now)]));
  await correlateEverywhere(rt, m);
  if (!m.buffered) await rt.store.pool.query(recordsSql([record(m, 'EXPIRED', now)]));
  return { messageKey: m.key, tenantId: m.tenantId };
}

/** Correlate (Zeebe's CorrelateMessage): no buffering; 404 when no subscription took it. */
export async function correlateMessage(
  rt: Runtime,
  req: PublishRequest,
): Promise<{ messageKey: string; tenantId: string; processInstanceKey: string }> {
  const m = await newMessage(rt, req, 0);
  const now = rt.clock.now();
  const reached = await correlateEverywhere(rt, m);
  if (!reached.length)
    throw notFound(
      `Command 'CORRELATE' rejected with code 'NOT_FOUND': Expected to find subscription for message with name '${m.name}' and correlation key '${m.correlationKey}', but none was found.`,
    );
  await rt.store.pool.query(recordsSql([record(m, 'CORRELATED', now)]));
  return { messageKey: m.key, tenantId: m.tenantId, processInstanceKey: reached[0] };
}

/** Buffered messages meet subscriptions opened after their publication (scheduler tick and after-commit nudges). */
export async function correlateBuffered(rt: Runtime): Promise<number> {
  let n = 0;
  for (const { message, processInstanceKey } of await bufferedMatches(rt.store.pool, rt.clock.now(), 100)) {
    if (rt.isStopped) break;
    if (await deliver(rt, fromRow(message), processInstanceKey)) n += 1;
  }
  return n;
}

/**
 * Buffered messages start instances once their correlation key is free again (the instance it
 * locked has ended), as Zeebe does for message start events with a correlation key.
 */
export async function startFromBuffered(rt: Runtime): Promise<number> {
  let n = 0;
  for (const { message, subscription } of await bufferedStartMatches(rt.store.pool, rt.clock.now(), 50)) {
    if (rt.isStopped) break;
    n += (await startInstances(rt, fromRow(message), [subscription])).length;
  }
  return n;
}
