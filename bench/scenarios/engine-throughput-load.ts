// Load generator of the engine-throughput scenario, run as its own process (as job workers are in a
// deployment): `node --import tsx engine-throughput-load.ts <restAddress> <size> <concurrency> <warmUp>`.
// Deploys nothing; starts instances of bench-three-tasks, works their jobs through the official
// client, prints {seconds, latenciesMs, cpuMs} as one JSON line on stdout.
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { closedLoop } from '../closed-loop.js';

const [address, sizeArg, concurrencyArg, warmUpArg] = process.argv.slice(2);
const size = Number(sizeArg);
const concurrency = Number(concurrencyArg);
const warmUp = Number(warmUpArg);

const client = createCamundaClient({
  config: { CAMUNDA_REST_ADDRESS: address, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_SDK_LOG_LEVEL: 'silent' } as never,
});
const finished = new Map<number, () => void>();
const workers = ['bench-1', 'bench-2', 'bench-3'].map((type) =>
  client.createJobWorker({
    jobType: type,
    maxParallelJobs: concurrency,
    jobTimeoutMs: 60_000,
    pollIntervalMs: 1,
    workerName: `bench-${type}`,
    jobHandler: async (job: { variables: Record<string, unknown>; complete(v?: object): Promise<unknown> }) => {
      const receipt = await job.complete({ [type]: true });
      if (type === 'bench-3') finished.get(job.variables.i as number)?.();
      return receipt;
    },
  } as never),
);

async function startAndWait(i: number): Promise<void> {
  const done = new Promise<void>((resolve) => finished.set(i, resolve));
  await client.createProcessInstance({ processDefinitionId: 'bench-three-tasks' as never, variables: { i } });
  await done;
  finished.delete(i);
}

try {
  // Warm-up: connections, model cache, JIT.
  await closedLoop(warmUp, concurrency, (i) => startAndWait(-1 - i));
  const cpu = process.cpuUsage();
  const run = await closedLoop(size, concurrency, startAndWait);
  const used = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ ...run, cpuMs: (used.user + used.system) / 1000 }) + '\n');
} finally {
  for (const w of workers) (w as { stop(): void }).stop();
}
process.exit(0);
