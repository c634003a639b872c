/**
 * What behaviours reach of the events runtime after their command commits (timers, messages, signals):
 * `rt.hooks.events`, set when the events feature is installed (index.ts; shared by every InstanceContext of the runtime).
 */
export interface EventsPort {
  /** A timer row was created or re-armed: the scheduler re-reads the next due date. */
  timersChanged(): void;
  /** A message subscription was opened: buffered messages may now correlate. */
  subscriptionsOpened(): void;
  /** A signal throw/end event wrote to the signal outbox: the scheduler broadcasts it now. */
  signalsThrown(): void;
  /** The clock was pinned or reset (clock routes): what became due fires now. */
  clockMoved(): void;
}

export function eventsOf(ctx: { hooks: { events?: EventsPort } }): EventsPort | undefined {
  return ctx.hooks.events;
}
