import type { Runtime } from '../runtime.js';
import { signalInstances, signalStartSubscriptions, signalSubscriptionsOf } from '../../store/events.js';
import { recordsSql } from '../../store/instance-state.js';
import { instancelessRecord } from '../../store/rows.js';
import { Rejection } from '../errors.js';
import { startInstanceAtEvent } from './starts.js';
import { isNonInterrupting } from './subscribe.js';
import { triggerEvent } from './trigger.js';

/**
 * Broadcast (Zeebe): every signal start event starts an instance, and every open signal
 * subscription of every instance (catch events, boundary events, event sub-processes, event-based
 * gateways) is triggered. Non-interrupting subscriptions stay open. One transaction per instance.
 */
export async function broadcastSignal(
  rt: Runtime,
  name: string,
  variables: Record<string, unknown>,
  tenantId: string,
): Promise<{ signalKey: string; tenantId: string }> {
  await rt.keys.ensure(16);
  const signalKey = rt.keys.take();
  const now = rt.clock.now();
  await rt.store.pool.query(
    recordsSql([
      instancelessRecord(signalKey, 'SIGNAL', 'BROADCASTED', tenantId, now, { signalName: name, variables }),
    ]),
  );
  for (const sub of await signalStartSubscriptions(rt.store.pool, name, tenantId)) {
    await rt.keys.ensure(256);
    const ctx = await rt.tx(async (client) => {
      const c = await startInstanceAtEvent(
        rt,
        client,
        sub.process_definition_key as string,
        sub.element_id as string,
        variables,
      );
      if (!c) {
        await client.query('ROLLBACK');
        return null;
      }
      c.record('SIGNAL_SUBSCRIPTION', 'TRIGGERED', sub.key, {
        signalName: name,
        catchEventId: sub.element_id,
        signalKey,
        variables,
      });
      await client.query(rt.commitSql(c));
      return c;
    });
    if (ctx) rt.afterCommit(ctx);
  }
  for (const piKey of await signalInstances(rt.store.pool, name, tenantId)) {
    try {
      await rt.withInstance(piKey, null, async (ctx, client) => {
        for (const sub of await signalSubscriptionsOf(client, piKey, name)) {
          const holder = ctx.element(sub.element_instance_key as string);
          const event = ctx.node(sub.element_id as string);
          if (!holder || !ctx.isActive(holder)) {
            ctx.remove('signal_subscription', sub);
            continue;
          }
          if (!triggerEvent(ctx, holder, event, variables)) continue;
          ctx.record(
            'SIGNAL_SUBSCRIPTION',
            'TRIGGERED',
            sub.key,
            { signalName: name, catchEventId: sub.element_id, catchEventInstanceKey: holder.key, signalKey, variables },
            holder,
          );
          if (!isNonInterrupting(event)) ctx.remove('signal_subscription', sub);
        }
      });
    } catch (e) {
      if (!(e instanceof Rejection && e.status === 404)) throw e;
    }
  }
  return { signalKey, tenantId };
}

/**
 * Broadcasts the signals thrown by signal throw/end events, oldest first. Each outbox row is held
 * (FOR UPDATE SKIP LOCKED: one engine process per row) while it is broadcast and deleted after, so a
 * crash in between broadcasts it again: at least once.
 */
export async function drainSignalOutbox(rt: Runtime): Promise<number> {
  let n = 0;
  while (!rt.isStopped) {
    const client = await rt.store.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `SELECT * FROM engine.signal_outbox ORDER BY key LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!rows.length) {
        await client.query('ROLLBACK');
        return n;
      }
      const row = rows[0];
      await broadcastSignal(rt, row.signal_name, row.variables ?? {}, row.tenant_id);
      await client.query(`DELETE FROM engine.signal_outbox WHERE key = $1`, [row.key]);
      await client.query('COMMIT');
      n += 1;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }
  return n;
}
