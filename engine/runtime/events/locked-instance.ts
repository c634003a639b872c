import type pg from 'pg';
import type { Runtime } from '../runtime.js';
import { InstanceContext } from '../context.js';
import { latestForms, lockAndLoadInstance } from '../../store/instance-state.js';
import { settleParentChild } from '../parent-child.js';

/**
 * Runs a command on a process instance inside a transaction the caller opened (the timer scheduler
 * holds the timer row already). The instance row is taken with SKIP LOCKED: when another command holds
 * it, nothing happens (null) and the caller retries later — so timer row → instance row never waits
 * on a command that holds instance row → timer row.
 */
export async function withLockedInstance(
  rt: Runtime,
  client: pg.PoolClient,
  piKey: string,
  fn: (ctx: InstanceContext) => void | Promise<void>,
): Promise<InstanceContext | null> {
  const { rows } = await client.query(`SELECT key FROM engine.process_instance WHERE key = $1 FOR UPDATE SKIP LOCKED`, [
    piKey,
  ]);
  if (!rows.length) return null;
  const state = await lockAndLoadInstance(client, piKey);
  if (!state) return null;
  const { model } = await rt.modelByKey(client, state.pi.process_definition_key);
  const formIds = [
    ...new Set([...model.nodes.values()].map((n) => n.userTask?.formId).filter((x): x is string => !!x)),
  ];
  state.forms = await latestForms(client, formIds, state.pi.tenant_id);
  const ctx = new InstanceContext(state, model, rt.keys, rt.clock.now(), null, rt.hooks, rt.behaviors, rt.stepLimits);
  // Steps a continuation left were queued before this event: they run first.
  await ctx.runCarried();
  await fn(ctx);
  await ctx.run();
  // Call activities: a child to cancel or start, a parent to complete — in this same transaction.
  await settleParentChild(rt, client, ctx);
  return ctx;
}
