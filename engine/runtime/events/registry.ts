import type { InstanceContext, RuntimeHooks } from '../context.js';

/** What behaviours reach of the events runtime after their command commits (timers, messages, signals). */
export interface EventsPort {
  /** A timer row was created or re-armed: the scheduler re-reads the next due date. */
  timersChanged(): void;
  /** A message subscription was opened: buffered messages may now correlate. */
  subscriptionsOpened(): void;
  /** A signal throw/end event wrote to the signal outbox: the scheduler broadcasts it now. */
  signalsThrown(): void;
}

/** The events runtime of an engine, found through its hooks object (shared by every InstanceContext). */
const ports = new WeakMap<RuntimeHooks, EventsPort>();

export function registerEventsPort(hooks: RuntimeHooks, port: EventsPort): void {
  ports.set(hooks, port);
}

export function eventsOf(ctx: InstanceContext): EventsPort | undefined {
  return ports.get(ctx.hooks);
}
