import type { ContinuationRow, ElementInstanceRow, IncidentRow } from '../store/rows.js';
import type { KeyAllocator } from '../store/keys.js';
import type { Step } from './unit-of-work.js';
import { IncidentError, type IncidentErrorType } from './incident-error.js';

/** How far one context runs its instance (Runtime options; continuation.ts). */
export interface StepLimits {
  /** Steps one transaction runs before it commits and leaves the rest to a continuation. */
  stepsPerTransaction: number;
  /** Steps without every token waiting after which the run stops with an incident (runaway loop). */
  maxStepsWithoutWait: number;
}

export const DEFAULT_STEP_LIMITS: StepLimits = { stepsPerTransaction: 1_000, maxStepsWithoutWait: 100_000 };

/**
 * A long run gives the event loop back every this many steps (requests, polls, other transactions of
 * this process go on; the run keeps its transaction): a step costs up to ≈ 0.25 ms (a FEEL script).
 */
const STEPS_BETWEEN_YIELDS = 100;

/** What the run loop needs of its InstanceContext (a leaf type, so the two do not import each other). */
export interface StepRunner {
  readonly queue: Step[];
  readonly keys: KeyAllocator;
  /** The continuation row the instance was loaded with. */
  readonly continuation: ContinuationRow | null;
  actor: string | null;
  isActive(el: ElementInstanceRow): boolean;
  raiseIncident(el: ElementInstanceRow, errorType: IncidentErrorType, message: string): IncidentRow;
  /** One step of the element lifecycle (activation, completion, termination, join). */
  runStep(step: Step): void;
}

/**
 * The run loop of one InstanceContext (`ctx.loop`): runs its queued steps until every token waits, within
 * the transaction's step budget, picks up the steps a continuation carried over (continuation.ts) and
 * guards against runaway loops. Its state: the step counts, `suspended`, and the steps `halted` by the guard.
 */
export class RunLoop {
  /** Steps since every token of the instance last waited; carried over by continuations. */
  stepsWithoutWait = 0;
  /** Steps this context ran in this transaction. */
  stepsRun = 0;
  /** The transaction's step budget is spent: what is still queued is left to a continuation. */
  suspended = false;
  /** Steps stopped by the runaway guard until their incident is resolved (then they run again, count reset). */
  halted: { incidentKey: string; steps: Step[] } | null = null;
  /** The first `carried` queued steps came from the continuation: they run before the command's own. */
  private carried = 0;

  constructor(
    private readonly ctx: StepRunner,
    readonly limits: StepLimits,
  ) {}

  /** Queues (or, while halted, holds) the steps a continuation left. */
  carryOver(c: ContinuationRow, steps: Step[]): void {
    if (c.incident_key) {
      this.halted = { incidentKey: c.incident_key, steps };
      return;
    }
    this.ctx.queue.push(...steps);
    this.carried = steps.length;
    this.stepsWithoutWait = Number(c.steps_without_wait);
  }

  /** Are there queued steps this transaction may still run? */
  get runnable(): boolean {
    return this.ctx.queue.length > 0 && !this.suspended;
  }

  /**
   * Runs queued steps until every token waits, at most `maxSteps` of them, and no more than the
   * transaction's budget (`limits.stepsPerTransaction`): then the loop is `suspended` and what is
   * still queued goes to a continuation at the flush. Past `limits.maxStepsWithoutWait` steps without
   * every token waiting, the run halts with an incident (haltRunaway). Keys are topped up between steps.
   */
  async run(maxSteps = Infinity): Promise<void> {
    const ctx = this.ctx;
    const queue = ctx.queue;
    for (let n = 0; n < maxSteps && queue.length && !this.suspended; n++) {
      if (this.stepsRun >= this.limits.stepsPerTransaction) {
        this.suspended = true;
        return;
      }
      if (this.stepsWithoutWait >= this.limits.maxStepsWithoutWait && this.haltRunaway()) return;
      if (ctx.keys.available < 64) await ctx.keys.ensure(256);
      else if (this.stepsRun && this.stepsRun % STEPS_BETWEEN_YIELDS === 0)
        await new Promise<void>((resolve) => setImmediate(resolve));
      const step = queue.shift()!;
      if (this.carried) this.carried--;
      this.stepsRun++;
      this.stepsWithoutWait++;
      try {
        ctx.runStep(step);
      } catch (e) {
        if (!(e instanceof IncidentError)) throw e;
        ctx.raiseIncident(step.el, e.errorType, e.message);
      }
    }
    if (!queue.length) this.stepsWithoutWait = 0;
  }

  /**
   * Runs the steps carried over from an earlier transaction before the command's own changes: they
   * were queued first (in Zeebe, their records precede the command in the log). Their records carry
   * the actor of the run they belong to.
   */
  async runCarried(): Promise<void> {
    if (!this.carried) return;
    const own = this.ctx.actor;
    this.ctx.actor = this.ctx.continuation?.actor ?? own;
    try {
      await this.run(this.carried);
    } finally {
      this.ctx.actor = own;
    }
  }

  /** The continuation's actor takes over the context (a follow-up transaction of a run: continuation.ts). */
  actAsContinuation(): void {
    const c = this.ctx.continuation;
    if (c && !c.incident_key) this.ctx.actor = c.actor;
  }

  /**
   * The runaway guard's incident was resolved: the halted steps are queued again with a fresh count
   * (true), they carry on where they stopped, whatever resolved it. False for any other incident.
   */
  releaseHalted(incidentKey: string): boolean {
    if (this.halted?.incidentKey !== incidentKey) return false;
    this.ctx.queue.push(...this.halted.steps);
    this.halted = null;
    this.stepsWithoutWait = 0;
    return true;
  }

  /**
   * The runaway guard: the instance took `maxStepsWithoutWait` steps without every token waiting. An
   * incident (UNKNOWN, as Zeebe has no type of its own for this) is raised on the element the next
   * step belongs to, and the queued steps are held until it is resolved. Returns false when no queued
   * step belongs to an active element: those steps do nothing, and may as well run.
   */
  private haltRunaway(): boolean {
    const el = this.ctx.queue.find((s) => this.ctx.isActive(s.el))?.el;
    if (!el) {
      this.stepsWithoutWait = 0;
      return false;
    }
    const steps = this.ctx.queue.splice(0);
    this.carried = 0;
    if (this.halted) {
      // Already halted (steps queued meanwhile, in this transaction, looped as well): they wait with the others.
      this.halted.steps.push(...steps);
    } else {
      const n = this.limits.maxStepsWithoutWait;
      const inc = this.ctx.raiseIncident(
        el,
        'UNKNOWN',
        `The process instance took ${n} steps without reaching a wait state (a job, user task, timer, message or other event to wait for); it may be looping. Resolving this incident lets it continue for another ${n} steps.`,
      );
      this.halted = { incidentKey: inc.key, steps };
    }
    this.stepsWithoutWait = 0;
    return true;
  }
}
