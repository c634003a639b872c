import type { InstanceContext } from '../context.js';
import { keepScratch } from '../scratch.js';

/**
 * Per-command scratch state of triggered events: the variables an event carries until the element
 * that receives them activates, and the holders a trigger already consumed (a second event in the
 * same command must not trigger a gateway or an interrupted activity again).
 */
interface Scratch {
  /** element instance key (or `scope|elementId` for events reached through an event-based gateway) → variables. */
  variables: Map<string, Record<string, unknown> | null>;
  consumed: Set<string>;
}

const scratch = new WeakMap<InstanceContext, Scratch>();

function of(ctx: InstanceContext): Scratch {
  let s = scratch.get(ctx);
  if (!s) scratch.set(ctx, (s = { variables: new Map(), consumed: new Set() }));
  return s;
}

export function setPending(ctx: InstanceContext, id: string, variables: Record<string, unknown> | null): void {
  of(ctx).variables.set(id, variables);
}

/** Takes the pending trigger of an element (by instance key, else by scope + element id); undefined if none. */
export function takePending(
  ctx: InstanceContext,
  key: string,
  scopeKey: string | null,
  elementId: string,
): Record<string, unknown> | null | undefined {
  const m = of(ctx).variables;
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
// (continuation.ts); `consumed` guards one command only (later ones see the rows).
keepScratch('eventVariables', {
  save: (ctx) => {
    const m = scratch.get(ctx)?.variables;
    return m?.size ? [...m] : undefined;
  },
  restore(ctx, data) {
    for (const [id, v] of data as Array<[string, Record<string, unknown> | null]>) of(ctx).variables.set(id, v);
  },
});

export function isConsumed(ctx: InstanceContext, key: string): boolean {
  return of(ctx).consumed.has(key);
}

export function consume(ctx: InstanceContext, key: string): void {
  of(ctx).consumed.add(key);
}
