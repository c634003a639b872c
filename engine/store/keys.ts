import type pg from 'pg';

const BLOCK = 100; // = INCREMENT BY of engine.key_seq

/**
 * Hands out int64 keys from engine.key_seq in blocks, so a command needs no round trip per key.
 * Several engine processes on one database each take their own blocks. Keys are unique, not dense.
 */
export class KeyAllocator {
  private ranges: Array<{ next: bigint; end: bigint }> = [];
  constructor(private readonly pool: pg.Pool) {}

  get available(): number {
    return this.ranges.reduce((n, r) => n + Number(r.end - r.next), 0);
  }

  /** Makes sure at least n keys can be taken synchronously. */
  async ensure(n: number): Promise<void> {
    const missing = n - this.available;
    if (missing <= 0) return;
    // At least 10 blocks per refill: one round trip serves about a hundred commands.
    const blocks = Math.max(10, Math.ceil(missing / BLOCK) + 1);
    const { rows } = await this.pool.query<{ v: string }>(
      `SELECT nextval('engine.key_seq')::text AS v FROM generate_series(1, $1)`,
      [blocks],
    );
    for (const { v } of rows) this.ranges.push({ next: BigInt(v), end: BigInt(v) + BigInt(BLOCK) });
  }

  take(): string {
    while (this.ranges.length && this.ranges[0].next >= this.ranges[0].end) this.ranges.shift();
    const r = this.ranges[0];
    if (!r) throw new Error('key block exhausted: call ensure() before taking keys');
    const k = r.next;
    r.next += 1n;
    return k.toString();
  }
}
