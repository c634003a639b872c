import type { InstanceContext } from '../context.js';
import { keepScratch } from '../scratch.js';

/**
 * Per-command state of triggered events (fields of the context): the variables an event carries until
 * the element that receives them activates (`ctx.eventVariables`: by element instance key, or
 * `scope|elementId` for events reached through an event-based gateway), and the holders a trigger
 * already consumed (`ctx.consumedTriggers`: a second event in the same command must not trigger a
 * gateway or an interrupted activity again).
 */

export function setPending(ctx: InstanceContext, id: string, variables: Record<string, unknown> | null): void {
  ctx.eventVariables.set(id, variables);
}

/** Takes the pending trigger of an element (by instance key, else by scope + element id); undefined if none. */
export function takePending(
  ctx: InstanceContext,
  key: string,
  scopeKey: string | null,
  elementId: string,
): Record<string, unknown> | null | undefined {
  const m = ctx.eventVariables;
  for (const id of [key, `${scopeKey}|${elementId}`]) {
    if (m.has(id)) {
      const v = m.get(id)!;
      m.delete(id);
      return v;
    }
  }
  return undefined;
}

// A run split across transactions carries the variables of events whose element has not activated yet
// (continuation.ts); `consumedTriggers` guards one command only (later ones see the rows).
keepScratch('eventVariables', {
  save: (ctx) => (ctx.eventVariables.size ? [...ctx.eventVariables] : undefined),
  restore(ctx, data) {
    for (const [id, v] of data as Array<[string, Record<string, unknown> | null]>) ctx.eventVariables.set(id, v);
  },
});

export function isConsumed(ctx: InstanceContext, key: string): boolean {
  return ctx.consumedTriggers.has(key);
}

export function consume(ctx: InstanceContext, key: string): void {
  ctx.consumedTriggers.add(key);
}
