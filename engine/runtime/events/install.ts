import type { Runtime } from '../runtime.js';
import { openAttachedSubscriptions, closeAttachedSubscriptions } from './hooks.js';
import { catchError } from './catch-error.js';
import { EventScheduler } from './scheduler.js';
import { installCompensation } from './compensation.js';

const schedulers = new WeakMap<Runtime, EventScheduler>();

/**
 * Plugs the event side into a runtime: subscription hooks, error catching, the scheduler (timers,
 * buffered messages, expiry) and the after-commit port behaviours use (wake-ups, signal throws).
 */
export function installEvents(rt: Runtime): EventScheduler {
  const scheduler = new EventScheduler(rt);
  schedulers.set(rt, scheduler);
  rt.schedulers.push(scheduler);
  (rt.hooks.onActivating ??= []).push(openAttachedSubscriptions);
  (rt.hooks.onCompleting ??= []).push(closeAttachedSubscriptions);
  rt.hooks.catchError.push(catchError);
  installCompensation(rt.hooks);
  rt.hooks.events = {
    timersChanged: () => scheduler.wake(),
    subscriptionsOpened: () => scheduler.wake(),
    signalsThrown: () => scheduler.wake(),
  };
  return scheduler;
}

/** The scheduler of a runtime (the clock routes wake it). */
export function schedulerOf(rt: Runtime): EventScheduler | undefined {
  return schedulers.get(rt);
}
