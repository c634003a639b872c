/** Reads right after a write: the embedded engine is strongly consistent; a Camunda cluster gets up to 5 s to catch up. */
export const READ = { consistency: { waitUpToMs: 0 } } as const;
export const READ_AFTER_WRITE = { consistency: { waitUpToMs: 5000 } } as const;
