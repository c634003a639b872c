import type pg from 'pg';
import type { NewInstanceOptions, RuntimeServices } from './runtime-services.js';
import type { InstanceContext } from './context.js';
import type { ProcessDefinitionRow } from '../store/rows.js';
import type { ProcessModel } from '../model/types.js';
import { lockAndLoadInstances, type InstanceRef } from '../store/instance-state.js';
import { otherContextsOf, settleParentChild } from './parent-child.js';
import { notFound } from './errors.js';

/** A command on an existing instance (job complete / fail / error / update). */
interface OnInstance {
  kind: 'instance';
  ref: InstanceRef;
  actor: string | null;
  fn: (ctx: InstanceContext, client: pg.PoolClient) => unknown;
  notFoundDetail: string;
}

/** A new process instance. */
interface Start {
  kind: 'start';
  def: ProcessDefinitionRow;
  model: ProcessModel;
  opts: NewInstanceOptions;
}

type Pending = (OnInstance | Start) & { resolve(value: unknown): void; reject(err: unknown): void };

/**
 * One batch at a time: it never waits on a lock another batch of this process holds, and the
 * commands arriving while it runs make the next batch bigger (creation and activation run beside it).
 */
const MAX_IN_FLIGHT = 1;
const MAX_BATCH = 64;
/** How long a command running alone keeps the slot before the next batch may start beside it. */
const SLOT_HOLD_MS = 50;

/**
 * Group commit for the engine's hot commands: instance creation and job commands. Under load they
 * arrive many at a time (a worker answers every job of its last activation at once); each alone costs
 * a transaction with ten loads, a flush of a few single-row statements and a commit. Gathered, the
 * commands that arrive while a batch is in flight share one transaction: one round trip locks and
 * loads every instance, one flush writes each table once, one commit makes all durable. Every
 * command keeps its own answer:
 *   - an instance that is not there, or a refusal thrown by the command itself, answers only that
 *     command (it read, but changed nothing outside its own context, which is dropped);
 *   - a second command on an instance already in the batch waits for the batch to commit;
 *   - anything else (a behaviour's failure, a database error, a deadlock, a lock held longer than a
 *     moment, two commands reaching the same instance through call activities) rolls the batch back,
 *     and every unanswered command runs again alone, exactly as it would unbatched, beside the next
 *     batch rather than in front of it.
 * A command that finds nothing in flight runs at once, alone: batching adds no latency when idle.
 */
export class CommandBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly rt: RuntimeServices) {}

  onInstance<T>(
    ref: InstanceRef,
    actor: string | null,
    fn: (ctx: InstanceContext, client: pg.PoolClient) => T | Promise<T>,
    notFoundDetail: string,
  ): Promise<T> {
    return this.submit({ kind: 'instance', ref, actor, fn, notFoundDetail });
  }

  start(def: ProcessDefinitionRow, model: ProcessModel, opts: NewInstanceOptions): Promise<InstanceContext> {
    return this.submit({ kind: 'start', def, model, opts });
  }

  private submit<T>(item: OnInstance | Start): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ ...item, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length) {
      const items = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.run(items).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(items: Pending[]): Promise<void> {
    if (items.length === 1) {
      // The slot is held while it runs (so arrivals gather into the next batch), but not for long: a
      // command waiting on a lock must not hold up every other instance's commands.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.alone(items[0]),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, SLOT_HOLD_MS))),
      ]);
      clearTimeout(timer);
      return;
    }
    const answered = new Set<Pending>();
    const later: Pending[] = [];
    let client: pg.PoolClient | null = null;
    let committing = false;
    try {
      await this.rt.keys.ensure(256 * items.length);
      client = await this.rt.store.pool.connect();
      const onInstance = items.filter((i): i is Pending & OnInstance => i.kind === 'instance');
      // Loading starts the transaction; a batch of creations alone starts it by itself.
      const states = onInstance.length
        ? await lockAndLoadInstances(
            client,
            onInstance.map((i) => i.ref),
          )
        : (await client.query('BEGIN'), []);
      const done: Array<{ item: Pending; ctx: InstanceContext; result: unknown }> = [];
      const instances = new Set<string>();
      for (const [i, item] of onInstance.entries()) {
        const state = states[i];
        if (!state) {
          answered.add(item);
          item.reject(notFound(item.notFoundDetail));
          continue;
        }
        if (instances.has(state.pi.key)) {
          later.push(item);
          continue;
        }
        instances.add(state.pi.key);
        const ctx = await this.rt.contextOf(client, state, item.actor);
        let result: unknown;
        try {
          result = await item.fn(ctx, client);
        } catch (e) {
          answered.add(item);
          item.reject(e);
          continue;
        }
        await ctx.run();
        await settleParentChild(this.rt, client, ctx);
        done.push({ item, ctx, result });
      }
      for (const item of items) {
        if (item.kind !== 'start') continue;
        const ctx = await this.rt.startInstanceInTransaction(client, item.def, item.model, item.opts);
        done.push({ item, ctx, result: ctx });
      }
      // Each instance may be written by one context only (parent-child work can reach an instance another
      // command of the batch holds): otherwise the later flush would overwrite the earlier one.
      const touched = new Set<string>();
      for (const { ctx } of done)
        for (const c of [ctx, ...otherContextsOf(ctx)]) {
          if (touched.has(c.pi.key)) throw new Error(`batch touched instance ${c.pi.key} twice`);
          touched.add(c.pi.key);
        }
      committing = true;
      await client.query(this.rt.commitSql(done.map((d) => d.ctx)));
      client.release();
      client = null;
      for (const { item, ctx, result } of done) {
        answered.add(item);
        this.rt.afterCommit(ctx);
        item.resolve(result);
      }
    } catch (e) {
      if (client) {
        // A connection that cannot even roll back is not given back to the pool.
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        client.release(!rolledBack);
      }
      const unanswered = items.filter((i) => !answered.has(i) && !later.includes(i));
      if (committing && !statementFailed(e)) {
        // The connection failed during the commit: it may have happened. Running the commands again
        // could do them twice; they fail as an unbatched command would.
        for (const item of unanswered) item.reject(e);
      } else {
        this.rt.log.debug({ err: e, size: items.length }, 'command batch rolled back; its commands run alone');
        later.unshift(...unanswered);
      }
    }
    // Outside the batch's slot: one slow command (a long lock wait) must not hold up the next batch.
    for (const item of later) void this.alone(item);
  }

  private async alone(item: Pending): Promise<void> {
    try {
      item.resolve(
        item.kind === 'start'
          ? await this.rt.startInstanceUnbatched(item.def, item.model, item.opts)
          : await this.rt.withInstance(item.ref, item.actor, item.fn, item.notFoundDetail),
      );
    } catch (e) {
      item.reject(e);
    }
  }
}

/** PostgreSQL refused a statement (SQLSTATE, not a connection failure): the transaction did not commit. */
function statementFailed(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08');
}
