import path from 'node:path';
import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { deploymentResources, processFiles } from '../../server/camunda/deploy-processes.js';
import { startWorkers, type RunningWorkers, type WorkerContext, type WorkerFactory } from '../../workers/index.js';
import billCompute from '../../workers/bill-compute.js';
import billNotify from '../../workers/bill-notify.js';
import billPost from '../../workers/bill-post.js';
import billRunOpen from '../../workers/bill-run-open.js';
import lateFeeAccrue from '../../workers/late-fee-accrue.js';
import { testWorkerClient } from '../support/workers.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/records.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- user-task JSON from the client, shaped per test
type TaskItem = Record<string, any>;

const BILLING_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../processes/billing');
export const BILLING_WORKERS: WorkerFactory[] = [billRunOpen, billCompute, billPost, billNotify, lateFeeAccrue];
// The embedded engine's reads are immediately consistent: no waiting.
export const NOW = { consistency: { waitUpToMs: 0 } } as never;

export interface BillingHarness {
  t: TestEngine;
  workers: RunningWorkers;
  workerClient: ReturnType<typeof testWorkerClient>['workerClient'];
  workerCtx: WorkerContext;
  /** Open user tasks of an element in an instance, through the official client. */
  tasks(pi: string, elementId: string, count: number): Promise<TaskItem[]>;
  state(pi: string): Promise<string>;
  finished(pi: string): Promise<void>;
  stop(): Promise<void>;
}

/** Fresh engine + database with the demo tariffs, processes/billing deployed, the billing workers running. */
export async function startBillingHarness(opts: { except?: string[]; pinAt?: number } = {}): Promise<BillingHarness> {
  const t = await startTestEngine();
  if (opts.pinAt !== undefined) await t.client.pinClock({ timestamp: opts.pinAt } as never);
  await seedDemoTariffs(t.db.knex);
  await t.client.createDeployment({ resources: deploymentResources(processFiles(BILLING_DIR)) });
  const { workerClient, workerCtx } = testWorkerClient(t);
  const factories = BILLING_WORKERS.filter((f) => !opts.except?.includes(f(workerCtx).jobType));
  const workers = startWorkers(workerClient, workerCtx, factories);
  const state = async (pi: string) =>
    (await t.client.getProcessInstance({ processInstanceKey: pi as never }, NOW)).state as string;
  return {
    t,
    workers,
    workerClient,
    workerCtx,
    tasks: (pi, elementId, count) =>
      eventually(async () => {
        const found = await t.client.searchUserTasks(
          { filter: { processInstanceKey: pi as never, elementId: elementId as never, state: 'CREATED' } } as never,
          NOW,
        );
        return found.items.length === count ? (found.items as TaskItem[]) : undefined;
      }),
    state,
    async finished(pi) {
      await eventually(async () => (await state(pi)) === 'COMPLETED');
    },
    async stop() {
      await workers.stop(1000);
      await t.client.resetClock();
      await t.stop();
    },
  };
}
