import crypto from 'node:crypto';
import type { BehaviorTable } from '../elements/behavior.js';
import pg from 'pg';
import type { Store } from '../store/pool.js';
import { KeyAllocator } from '../store/keys.js';
import {
  emptyInstanceState,
  flushSql,
  latestForms,
  lockAndLoadInstance,
  type InstanceRef,
} from '../store/instance-state.js';
import { cachedProcessDefinition } from '../store/definitions.js';
import type { ProcessDefinitionRow, ProcessInstanceRow } from '../store/rows.js';
import { parseBpmn } from '../model/parse.js';
import type { ProcessModel } from '../model/types.js';
import { InstanceContext, type InstanceState, type RuntimeHooks } from './context.js';
import { cancelUserTask } from './task-listeners.js';
import { DEFAULT_STEP_LIMITS, type StepLimits } from './run-loop.js';
import type { NewInstanceOptions, RuntimeServices } from './runtime-services.js';
import { Clock } from './clock.js';
import { silentLogger, type Logger } from './logger.js';
import { JobNotifier } from './job-notifier.js';
import { CrossProcessNotifications } from './cross-process.js';
import { notFound } from './errors.js';
import { sweepJobs } from '../store/jobs.js';
import { otherContextsOf, settleParentChild } from './parent-child.js';
import { CommandBatcher } from './batch.js';
import { ContinuationRunner, continues, settleContinuation } from './continuation.js';

/** Background tasks other modules (timers, messages) add to the runtime's start/stop. */
export interface Scheduler {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/**
 * Command processing: every command is one transaction (BEGIN + lock + load in one round trip,
 * behaviours in memory, flush + COMMIT in one round trip), or, for the hot commands under load, one
 * batch of commands shares it (batch.ts). After commit, long polls and
 * await-completion waiters are woken, in this process directly and in others via LISTEN/NOTIFY.
 * A long straight-through run is split across transactions, and a runaway one stopped with an
 * incident (continuation.ts).
 */

/** Tuning of a Runtime (all optional). */
export interface RuntimeOptions {
  /**
   * Steps (element activations, completions, terminations, join checks) an instance may take without
   * every token reaching a wait state before the engine stops it with an incident (runaway loop
   * guard). Resolving the incident lets it go on for as many again. Default 100,000: far beyond any
   * real straight-through run (a 10,000-item multi-instance of script tasks takes ≈ 40,000), reached
   * by a loop within seconds. A positive integer, or Infinity for no guard.
   */
  maxStepsWithoutWait?: number;
  /**
   * Steps one transaction runs of an instance before it commits and leaves the rest to a follow-up
   * transaction (runtime/continuation.ts), so that other commands and instances get their turn and a
   * command is answered without waiting for the whole run. Default 1,000: ≈ 10 ms of engine CPU for
   * pass-through tasks, ≈ 250 ms for FEEL script tasks (the run also yields the event loop every 100
   * steps), against ≈ 2 ms of per-transaction overhead. Infinity never splits.
   */
  stepsPerTransaction?: number;
}

export class Runtime implements RuntimeServices {
  readonly log: Logger;
  readonly keys: KeyAllocator;
  readonly clock = new Clock();
  readonly hooks: RuntimeHooks = { catchError: [], onTerminate: [], onProcessEnd: [], cancelUserTask };
  readonly jobNotifier = new JobNotifier();
  readonly schedulers: Scheduler[] = [];
  readonly nodeId = crypto.randomBytes(4).toString('hex');
  readonly stepLimits: StepLimits;
  private readonly batcher = new CommandBatcher(this);
  private readonly continuations = new ContinuationRunner(this);
  private readonly models = new Map<string, Promise<ProcessModel>>();
  private readonly endWaiters = new Map<string, Set<() => void>>();
  private readonly crossProcess: CrossProcessNotifications;
  private sweeper: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    readonly store: Store,
    /** Element kind → behaviour (elements/behaviors.ts): the one table, for every InstanceContext and deployment validation. */
    readonly behaviors: BehaviorTable,
    logger?: Logger,
    options: RuntimeOptions = {},
  ) {
    this.log = logger ?? silentLogger;
    this.stepLimits = {
      maxStepsWithoutWait: positive(options.maxStepsWithoutWait, 'maxStepsWithoutWait', DEFAULT_STEP_LIMITS),
      stepsPerTransaction: positive(options.stepsPerTransaction, 'stepsPerTransaction', DEFAULT_STEP_LIMITS),
    };
    this.keys = new KeyAllocator(store.pool);
    this.crossProcess = new CrossProcessNotifications(store.pool, store.url, this.nodeId, this.log, {
      jobs: (type) => this.jobNotifier.notify(type),
      ended: (piKey) => this.notifyEnd(piKey),
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  // ---------------------------------------------------------------- models

  /** Parsed model of a deployed process definition (cached; definitions never change). */
  model(def: ProcessDefinitionRow): Promise<ProcessModel> {
    let m = this.models.get(def.key);
    if (!m) {
      m = parseBpmn(def.resource).then(({ processes }) => {
        const p = processes.find((x) => x.bpmnProcessId === def.bpmn_process_id);
        if (!p) throw new Error(`process ${def.bpmn_process_id} not found in its resource`);
        return p;
      });
      this.models.set(def.key, m);
      m.catch(() => this.models.delete(def.key));
    }
    return m;
  }

  async modelByKey(
    db: pg.PoolClient,
    processDefinitionKey: string,
  ): Promise<{ def: ProcessDefinitionRow; model: ProcessModel }> {
    const def = await cachedProcessDefinition(db, processDefinitionKey);
    if (!def) throw new Error(`process definition ${processDefinitionKey} missing`);
    return { def, model: await this.model(def) };
  }

  // ---------------------------------------------------------------- commands

  /** Runs fn inside one transaction on a pooled client; rolls back on any error. */
  async tx<T>(fn: (client: pg.PoolClient) => Promise<T>, begin = true): Promise<T> {
    const client = await this.store.pool.connect();
    try {
      if (begin) await client.query('BEGIN');
      const result = await fn(client);
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  /**
   * A command on an existing process instance: lock its row, load its state, let `fn` change it
   * (queueing steps), run the instance forward until every token waits, flush and commit.
   */
  async withInstance<T>(
    piKey: InstanceRef,
    actor: string | null,
    fn: (ctx: InstanceContext, client: pg.PoolClient) => T | Promise<T>,
    notFoundDetail?: string,
  ): Promise<T> {
    await this.keys.ensure(256);
    for (let attempt = 1; ; attempt++) {
      let ctx: InstanceContext | null = null;
      try {
        const result = await this.tx(async (client) => {
          const state = await lockAndLoadInstance(client, piKey);
          if (!state)
            throw notFound(
              notFoundDetail ??
                `Expected to find process instance with key '${typeof piKey === 'string' ? piKey : piKey.key}', but none was found`,
            );
          ctx = await this.contextOf(client, state, actor);
          const r = await fn(ctx, client);
          await ctx.run();
          await settleParentChild(this, client, ctx);
          await client.query(this.commitSql(ctx));
          return r;
        }, false);
        this.afterCommit(ctx!);
        return result;
      } catch (e) {
        // Parent and child instances lock each other in either order (child ends vs. parent cancels): retry the loser.
        if ((e as { code?: string }).code !== '40P01' || attempt >= 5) throw e;
      }
    }
  }

  /** The context a command runs in, over an instance's loaded state. */
  async contextOf(client: pg.PoolClient, state: InstanceState, actor: string | null): Promise<InstanceContext> {
    const { model } = await this.modelByKey(client, state.pi.process_definition_key);
    state.forms = await latestForms(client, formIdsOf(model), state.pi.tenant_id);
    const ctx = new InstanceContext(
      state,
      model,
      this.keys,
      this.clock.now(),
      actor,
      this.hooks,
      this.behaviors,
      this.stepLimits,
    );
    // Steps a continuation left were queued before this command: they run first.
    await ctx.runCarried();
    return ctx;
  }

  /**
   * withInstance for a hot command (job complete / fail / error): run in a shared transaction with
   * the other commands that arrive meanwhile (runtime/batch.ts). `fn` must only read through the
   * client and change nothing but the context: when it throws, only its command fails.
   */
  withInstanceBatched<T>(
    piKey: InstanceRef,
    actor: string | null,
    fn: (ctx: InstanceContext, client: pg.PoolClient) => T | Promise<T>,
    notFoundDetail: string,
  ): Promise<T> {
    return this.batcher.onInstance(piKey, actor, fn, notFoundDetail);
  }

  // ---------------------------------------------------------------- starting instances
  // Four ways, by who owns the transaction: a command (startInstance), the batcher for one creation
  // (startInstanceUnbatched), a caller with an open transaction (startInstanceInTransaction), a
  // parent-child session that runs the new context with its others (newInstanceContext). Event starts
  // go through events/starts.ts startInstanceAtEvent (definition by key, then startInstanceInTransaction).

  /**
   * For a command (API create): creates and runs a new process instance in a transaction of its own, or,
   * under load, in one shared with the commands that arrive meanwhile (runtime/batch.ts).
   */
  startInstance(def: ProcessDefinitionRow, model: ProcessModel, opts: NewInstanceOptions): Promise<InstanceContext> {
    return this.batcher.start(def, model, opts);
  }

  /**
   * For the batcher only (one creation alone, or again after a batch rolled back): creates and runs a new
   * process instance in a transaction of its own, never batched.
   */
  async startInstanceUnbatched(
    def: ProcessDefinitionRow,
    model: ProcessModel,
    opts: NewInstanceOptions,
  ): Promise<InstanceContext> {
    await this.keys.ensure(256);
    // BEGIN travels with the first statement: a plain start reads nothing, so it is one round trip.
    const ctx = await this.tx(async (client) => {
      const raw = client.query;
      let begun = false;
      client.query = function (this: pg.PoolClient, ...args: unknown[]) {
        if (!begun) {
          begun = true;
          (raw as unknown as (text: string) => Promise<unknown>).call(client, 'BEGIN').catch(() => {}); // queued before args; its failure fails the next statement too
        }
        return (raw as (...a: unknown[]) => unknown).apply(client, args);
      } as typeof raw;
      let c: InstanceContext;
      try {
        c = await this.startInstanceInTransaction(client, def, model, opts);
      } finally {
        client.query = raw;
      }
      await client.query((begun ? '' : 'BEGIN;\n') + this.commitSql(c));
      return c;
    }, false);
    this.afterCommit(ctx);
    return ctx;
  }

  /**
   * For a caller that owns an open transaction and flushes it (a batch, timer / message / signal starts):
   * creates the instance, runs it until every token waits and settles its parent-child work.
   */
  async startInstanceInTransaction(
    client: pg.PoolClient,
    def: ProcessDefinitionRow,
    model: ProcessModel,
    opts: NewInstanceOptions,
  ): Promise<InstanceContext> {
    const ctx = await this.newInstanceContext(client, def, model, opts);
    await ctx.run();
    await settleParentChild(this, client, ctx);
    return ctx;
  }

  /**
   * For a parent-child session (a call activity's child), which runs it with the transaction's other
   * contexts: the new instance's context with its activation queued, not run.
   */
  async newInstanceContext(
    client: pg.PoolClient,
    def: ProcessDefinitionRow,
    model: ProcessModel,
    opts: NewInstanceOptions,
  ): Promise<InstanceContext> {
    const now = this.clock.now();
    const pi: ProcessInstanceRow = {
      key: this.keys.take(),
      process_definition_key: def.key,
      bpmn_process_id: def.bpmn_process_id,
      version: def.version,
      version_tag: def.version_tag,
      tenant_id: def.tenant_id,
      state: 'ACTIVE',
      start_date: now,
      end_date: null,
      parent_process_instance_key: opts.parent?.processInstanceKey ?? null,
      parent_element_instance_key: opts.parent?.elementInstanceKey ?? null,
      incident_count: 0,
      tags: opts.tags ?? [],
      start_element_ids: opts.startElementIds?.length ? opts.startElementIds : null,
    };
    const state = emptyInstanceState(pi, await latestForms(client, formIdsOf(model), def.tenant_id));
    const ctx = new InstanceContext(
      state,
      model,
      this.keys,
      now,
      opts.actor,
      this.hooks,
      this.behaviors,
      this.stepLimits,
    );
    ctx.save('process_instance', pi);
    ctx.record('PROCESS_INSTANCE_CREATION', 'CREATED', pi.key, {
      bpmnProcessId: def.bpmn_process_id,
      version: def.version,
      processDefinitionKey: def.key,
      variables: opts.variables,
    });
    ctx.setLocalDocument(pi.key, opts.variables);
    ctx.activate(model.root, null, pi.key);
    return ctx;
  }

  /**
   * The flush of a context plus COMMIT, as one text (other engines are notified after it: cross-process.ts).
   * Steps still queued (the transaction's step budget is spent) go to a continuation row.
   */
  commitSql(roots: InstanceContext | InstanceContext[]): string {
    const ctxs = (Array.isArray(roots) ? roots : [roots]).flatMap((root) => [root, ...otherContextsOf(root)]);
    for (const ctx of ctxs) settleContinuation(ctx);
    return [flushSql(ctxs), 'COMMIT'].filter(Boolean).join(';\n');
  }

  /** Wakes local waiters once a command's transaction is durable. */
  afterCommit(root: InstanceContext): void {
    for (const ctx of otherContextsOf(root)) this.afterCommitOf(ctx);
    this.afterCommitOf(root);
  }

  private afterCommitOf(ctx: InstanceContext): void {
    // The command held its instance's open jobs locked (FOR UPDATE) until now, and activation skips
    // locked jobs (SKIP LOCKED): a long poll that looked meanwhile went back to waiting without
    // them. Wake pollers of those types too, or they wait for their timeout.
    const types = new Set(ctx.jobTypesCreated);
    for (const job of ctx.jobs.values()) if (job.state === 'ACTIVATABLE') types.add(job.type);
    for (const type of types) {
      this.jobNotifier.notify(type);
      this.crossProcess.jobsCreated(type);
    }
    if (ctx.pi.state !== 'ACTIVE') {
      this.notifyEnd(ctx.pi.key);
      this.crossProcess.instanceEnded(ctx.pi.key);
    }
    if (continues(ctx)) this.continuations.schedule(ctx.pi.key);
    for (const fn of ctx.afterCommit) {
      try {
        fn();
      } catch (e) {
        this.log.error({ err: e }, 'after-commit hook failed');
      }
    }
  }

  // ---------------------------------------------------------------- waiting for instance end

  /** Resolves when the instance ends (true) or after timeoutMs (false). */
  waitForEnd(piKey: string, timeoutMs: number, isEnded: () => Promise<boolean>): Promise<boolean> {
    return new Promise((resolve) => {
      let done = false;
      const set = this.endWaiters.get(piKey) ?? new Set();
      this.endWaiters.set(piKey, set);
      const finish = (v: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        set.delete(onEnd);
        if (!set.size) this.endWaiters.delete(piKey);
        resolve(v);
      };
      const onEnd = () => finish(true);
      set.add(onEnd);
      const timer = setTimeout(() => finish(false), timeoutMs);
      // The instance may have ended between the creation commit and the registration.
      isEnded().then(
        (ended) => ended && finish(true),
        () => {},
      );
    });
  }

  private notifyEnd(piKey: string): void {
    for (const fn of this.endWaiters.get(piKey) ?? []) fn();
  }

  /** Ends every open wait (long polls, await-completion) — used by stop(). */
  private releaseWaiters(): void {
    this.jobNotifier.close();
    for (const set of this.endWaiters.values()) for (const fn of set) fn();
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    this.stopped = false;
    await this.keys.ensure(256);
    await this.crossProcess.start();
    this.sweeper = setInterval(() => void this.sweep(), 500);
    for (const s of this.schedulers) await s.start();
    await this.continuations.start();
  }

  /** Jobs whose deadline passed or whose back-off ended become activatable again. */
  private async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      const types = await sweepJobs(this.store.pool, this.clock.now());
      for (const t of types) this.jobNotifier.notify(t);
    } catch (e) {
      if (!this.stopped) this.log.warn({ err: e }, 'job sweep failed');
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await this.continuations.stop();
    for (const s of this.schedulers) await s.stop();
    this.releaseWaiters();
    await this.crossProcess.stop();
    // Give answered long polls a moment to write their responses before the pool goes away.
    await this.jobNotifier.drained();
    await this.store.close();
  }
}

function positive(value: number | undefined, name: keyof StepLimits, defaults: StepLimits): number {
  if (value === undefined) return defaults[name];
  if (!(value === Infinity || (Number.isInteger(value) && value > 0)))
    throw new Error(`Runtime option ${name} must be a positive integer (or Infinity), got ${value}`);
  return value;
}

function formIdsOf(model: ProcessModel): string[] {
  const ids = new Set<string>();
  for (const n of model.nodes.values()) if (n.userTask?.formId) ids.add(n.userTask.formId);
  return [...ids];
}
