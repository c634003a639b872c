import type { InstanceContext } from './context.js';

/**
 * Per-command state kept outside the rows (a script task's result until its completion step, a
 * gateway's chosen flows, an event's variables until the element it triggers activates …). A
 * straight-through run split across transactions (continuation.ts) must carry it to the next
 * transaction with the queued steps, so every module holding such state registers a keeper: `save`
 * returns a JSON-able snapshot (undefined when there is nothing), `restore` puts it back on a fresh
 * context. State that only matters within one command (and is re-derived from rows otherwise) needs none.
 */
export interface ScratchKeeper {
  save(ctx: InstanceContext): unknown;
  restore(ctx: InstanceContext, data: unknown): void;
}

const keepers = new Map<string, ScratchKeeper>();

export function keepScratch(name: string, keeper: ScratchKeeper): void {
  keepers.set(name, keeper);
}

/** Snapshot of every keeper's state of a context, by keeper name (empty keepers left out). */
export function saveScratch(ctx: InstanceContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, k] of keepers) {
    const v = k.save(ctx);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export function restoreScratch(ctx: InstanceContext, data: Record<string, unknown>): void {
  for (const [name, v] of Object.entries(data)) keepers.get(name)?.restore(ctx, v);
}
