import type { Runtime, Scheduler } from '../runtime.js';
import { expireMessages, nextDueDate, sweepSignalSubscriptions } from '../../store/events.js';
import { fireDueTimers } from './timers.js';
import { correlateBuffered, startFromBuffered } from './messages.js';
import { drainSignalOutbox } from './signals.js';

/** Longest sleep between ticks: timers created by other engine processes are seen within this. */
const MAX_SLEEP_MS = 1000;
const BUSY_RETRY_MS = 50;
const SWEEP_EVERY_TICKS = 60;

/**
 * The event scheduler: fires due timers, lets buffered messages meet new subscriptions and deletes
 * expired messages. It sleeps until the next due timer (at most MAX_SLEEP_MS) and wakes at once when
 * the clock is pinned or reset, a timer is created, or a subscription is opened in this process.
 */
export class EventScheduler implements Scheduler {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private pending = false;
  private ticks = 0;

  constructor(private readonly rt: Runtime) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
  }

  /** Ask for a tick as soon as possible. */
  wake(): void {
    this.pending = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pending = false;
      let sleep = MAX_SLEEP_MS;
      try {
        sleep = await this.tick();
      } catch (e) {
        if (this.running) this.rt.log.warn({ err: e }, 'event scheduler tick failed');
      }
      if (!this.running) break;
      if (this.pending) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, sleep);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  /** One round; returns how long to sleep. */
  private async tick(): Promise<number> {
    const rt = this.rt;
    const { busy } = await fireDueTimers(rt);
    await correlateBuffered(rt);
    await startFromBuffered(rt);
    await drainSignalOutbox(rt);
    await expireMessages(rt.store.pool, rt.clock.now());
    if (++this.ticks % SWEEP_EVERY_TICKS === 0) await sweepSignalSubscriptions(rt.store.pool);
    if (busy) return BUSY_RETRY_MS;
    const next = await nextDueDate(rt.store.pool);
    if (!next) return MAX_SLEEP_MS;
    // With a pinned clock time stands still: only a clock change (wake) makes a future timer due.
    if (rt.clock.isPinned) return MAX_SLEEP_MS;
    return Math.max(5, Math.min(MAX_SLEEP_MS, next.getTime() - rt.clock.now().getTime()));
  }
}
