import type { RuntimeServices } from './runtime-services.js';
import type { InstanceContext, Step } from './context.js';
import type { ContinuationRow } from '../store/rows.js';
import { dueContinuations } from '../store/continuations.js';
import { saveScratch } from './scratch.js';
import { Rejection } from './errors.js';

/**
 * Straight-through runs across transactions. A command runs its instance forward until every token
 * waits — but at most `stepsPerTransaction` steps (run-loop.ts `run`). What is still queued then is
 * written, in the same transaction, to `engine.continuation` (with the per-command state the steps
 * need, scratch.ts, and the count of steps without a wait state), the command commits and answers,
 * and a follow-up transaction carries on from the row: scheduled at once in this process, behind
 * the commands already waiting (ContinuationRunner); after a restart, or when the process that wrote
 * it stopped, by whichever engine process finds the row. Each follow-up takes the instance's row lock
 * like any command, so other instances and commands get their turn between them, as in Zeebe, where
 * a run is many records and other work interleaves.
 *
 * A command that finds a continuation on its instance runs the carried steps first (they came
 * first), then its own. Past `maxStepsWithoutWait` steps without every token waiting, the run stops
 * with an incident on the element of the next step and the steps are held in the row; resolving the
 * incident queues them again with a fresh count (cancelling the instance resolves it too).
 */

/** Contexts whose flush wrote a continuation with steps due to run (the runtime schedules them after commit). */
const due = new WeakSet<InstanceContext>();

function stepData(s: Step): [Step['kind'], string, string?] {
  return s.kind === 'join' ? [s.kind, s.el.key, s.gatewayId] : [s.kind, s.el.key];
}

/**
 * Before the flush: writes the context's continuation row (steps still queued, or held by the runaway
 * guard) or deletes the one it was loaded with when every token waits now.
 */
export function settleContinuation(ctx: InstanceContext): void {
  const { halted } = ctx.loop;
  const steps = ctx.pi.state === 'ACTIVE' ? [...(halted?.steps ?? []), ...ctx.queue] : [];
  if (!steps.length) {
    if (ctx.continuation) ctx.remove('continuation', ctx.continuation);
    return;
  }
  const row: ContinuationRow = {
    process_instance_key: ctx.pi.key,
    steps: JSON.stringify(steps.map(stepData)),
    scratch: JSON.stringify(saveScratch(ctx)),
    steps_without_wait: ctx.loop.stepsWithoutWait,
    incident_key: halted?.incidentKey ?? null,
    actor: halted && ctx.continuation ? ctx.continuation.actor : ctx.actor,
  };
  ctx.save('continuation', row);
  if (!halted) due.add(ctx);
}

/** Did the context's flush leave steps to run in a follow-up transaction? */
export function continues(ctx: InstanceContext): boolean {
  return due.has(ctx);
}

/** How often an engine process looks for continuations nobody carries on (their engine process stopped). */
const ADOPT_EVERY_MS = 10_000;

/**
 * Runs the follow-up transactions of this engine process, one at a time, round robin over the
 * instances that have one (an instance that still continues goes to the back), each after the
 * callbacks already waiting in the event loop (requests, polls) had their turn.
 */
export class ContinuationRunner {
  private readonly queue = new Set<string>();
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Progress (steps without wait) of every due continuation at the last look. */
  private lastSeen = new Map<string, string>();

  constructor(private readonly rt: RuntimeServices) {}

  /** Carries on every continuation left in the database (a restart), then keeps looking for abandoned ones. */
  async start(): Promise<void> {
    await this.adopt(true);
    this.timer = setInterval(() => void this.adopt(false), ADOPT_EVERY_MS);
    this.timer.unref();
  }

  /** Lets the follow-up in flight commit; the others stay in the database for the next start. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.queue.clear();
    await this.draining;
  }

  schedule(processInstanceKey: string): void {
    if (this.rt.isStopped) return;
    this.queue.add(processInstanceKey);
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      if (this.queue.size) this.schedule(this.queue.values().next().value!);
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.size && !this.rt.isStopped) {
      // Whatever else is waiting in this process (requests, job activations, timers) goes first.
      await new Promise((resolve) => setImmediate(resolve));
      const key = this.queue.values().next().value;
      if (key === undefined || this.rt.isStopped) return;
      this.queue.delete(key);
      try {
        await this.rt.withInstance(key, null, (ctx) => ctx.actAsContinuation());
      } catch (e) {
        if (this.rt.isStopped || (e instanceof Rejection && e.status === 404)) continue;
        // Left in the database: the next look for abandoned continuations retries it.
        this.rt.log.warn({ err: e, processInstanceKey: key }, 'continuation of a straight-through run failed');
      }
    }
  }

  /**
   * Schedules the due continuations of the database: all of them on start, later those that made no
   * progress since the last look (the engine process running them stopped). Scheduling one that is
   * running elsewhere costs only a transaction that finds the next steps, or none.
   */
  private async adopt(all: boolean): Promise<void> {
    if (this.rt.isStopped) return;
    try {
      const seen = new Map<string, string>();
      for (const { processInstanceKey: key, stepsWithoutWait } of await dueContinuations(this.rt.store.pool)) {
        seen.set(key, stepsWithoutWait);
        if (all || this.lastSeen.get(key) === stepsWithoutWait) this.schedule(key);
      }
      this.lastSeen = seen;
    } catch (e) {
      if (!this.rt.isStopped) this.rt.log.warn({ err: e }, 'looking for continuations failed');
    }
  }
}
