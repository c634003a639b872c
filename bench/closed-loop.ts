/** Wall time and per-job latencies of a closed-loop load. */
export interface Run {
  seconds: number;
  latenciesMs: number[];
}

/** Runs `size` jobs keeping `concurrency` in flight. */
export async function closedLoop(size: number, concurrency: number, job: (i: number) => Promise<void>): Promise<Run> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (next < size) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await job(i);
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, size) }, lane));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latenciesMs };
}
