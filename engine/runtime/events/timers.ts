import type { Runtime } from '../runtime.js';
import type { GenericRow, InstanceContext } from '../context.js';
import { dueTimerKeys, lockDueTimer } from '../../store/events.js';
import { parseTimer, afterFiring } from '../../timers/index.js';
import { evaluateRaw } from '../../feel/index.js';
import { withLockedInstance } from './locked-instance.js';
import { startInstanceAtEvent } from './starts.js';
import { isNonInterrupting, openTimer } from './subscribe.js';
import { timerRecordValue, triggerTimer } from '../rows/timer-changes.js';
import { triggerEvent } from './trigger.js';

export type FireOutcome = 'fired' | 'skipped' | 'busy';

/** The occurrence after `timer` for a cycle with repetitions left, else null (durations, dates, last repetition). */
function nextOccurrence(
  timer: GenericRow,
  now: Date,
  variables: Record<string, unknown>,
): { dueAt: Date; repetitions: number } | null {
  if (!timer.cycle) return null;
  const reps = timer.repetitions as number;
  const left = afterFiring(reps === -1 ? 'infinite' : reps);
  if (left === null) return null;
  const parsed = parseTimer('timeCycle', timer.cycle as string, now, (body) => evaluateRaw(body, variables, { now }));
  if (!parsed.ok) return null;
  const dueAt = parsed.next(timer.due_date as Date, now);
  return dueAt ? { dueAt, repetitions: left === 'infinite' ? -1 : left } : null;
}

/**
 * Fires one due timer, in one transaction: the timer row is claimed with FOR UPDATE SKIP LOCKED
 * (so two engine processes never fire it twice), then its instance is locked (SKIP LOCKED as well:
 * busy instances are retried on the next tick) and the timer's event is triggered. A timer start
 * event starts a new instance instead. Cycles are re-armed for non-interrupting events and start events.
 */
export async function fireTimer(rt: Runtime, key: string): Promise<FireOutcome> {
  await rt.keys.ensure(256);
  const client = await rt.store.pool.connect();
  let ctx: InstanceContext | null = null;
  try {
    await client.query('BEGIN');
    const now = rt.clock.now();
    const timer = await lockDueTimer(client, key, now);
    if (!timer) {
      await client.query('ROLLBACK');
      return 'skipped';
    }
    if (!timer.process_instance_key) {
      ctx = await startInstanceAtEvent(
        rt,
        client,
        timer.process_definition_key as string,
        timer.element_id as string,
        {},
      );
      const next = nextOccurrence(timer, now, {});
      const update = next
        ? `UPDATE engine.timer SET due_date = '${next.dueAt.toISOString()}', repetitions = ${next.repetitions} WHERE key = ${BigInt(key)}`
        : `UPDATE engine.timer SET state = 'TRIGGERED' WHERE key = ${BigInt(key)}`;
      if (ctx) {
        ctx.record('TIMER', 'TRIGGERED', key, { ...timerRecordValue(timer), processInstanceKey: ctx.pi.key });
        await client.query(`${update};\n${rt.commitSql(ctx)}`);
      } else await client.query(`UPDATE engine.timer SET state = 'CANCELED' WHERE key = ${BigInt(key)}; COMMIT`); // its definition was deleted
    } else {
      ctx = await withLockedInstance(rt, client, timer.process_instance_key as string, (c) => {
        const t = c.timers.get(key);
        if (!t || t.state !== 'CREATED') return;
        const holder = c.element(t.element_instance_key as string);
        const event = c.node(t.element_id as string);
        triggerTimer(c, t, holder);
        if (!triggerEvent(c, holder, event, null)) return;
        if (holder && isNonInterrupting(event) && c.isActive(holder)) {
          const next = nextOccurrence(t, c.now, c.visibleVariables(holder.key));
          if (next) openTimer(c, holder, event, holder.key, next);
        }
      });
      if (!ctx) {
        await client.query('ROLLBACK');
        return 'busy';
      }
      await client.query(rt.commitSql(ctx));
    }
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  if (ctx) rt.afterCommit(ctx);
  return 'fired';
}

/** Fires every timer due now; true when some instance was busy (worth a quick retry). */
export async function fireDueTimers(rt: Runtime): Promise<{ fired: number; busy: boolean }> {
  let fired = 0;
  let busy = false;
  for (;;) {
    const keys = await dueTimerKeys(rt.store.pool, rt.clock.now(), 50);
    let progress = 0;
    for (const key of keys) {
      if (rt.isStopped) return { fired, busy };
      const outcome = await fireTimer(rt, key);
      if (outcome === 'fired') progress += 1;
      if (outcome === 'busy') busy = true;
    }
    fired += progress;
    if (keys.length < 50 || progress === 0) return { fired, busy };
  }
}
