import path from 'node:path';
import { RepairService } from '../../domain/repair/service.js';
import { deploymentResources, processFiles } from '../../server/camunda/deploy-processes.js';
import { startWorkers, workerFactories, type RunningWorkers } from '../../workers/index.js';
import { addCrew, openRepairAccount } from '../integration/repair-fixtures.js';
import { pinClock } from '../support/events.js';
import { testWorkerClient } from '../support/workers.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/records.js';

const REPAIR_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../processes/repair');
const NOW = { consistency: { waitUpToMs: 0 } } as never;

export interface OpenTask {
  userTaskKey: string;
  candidateGroups: string[];
  assignee?: string;
  dueDate?: string;
  formKey?: string;
}

/** Engine + database with processes/repair deployed, the repair workers running and the clock pinned. */
export async function startRepairHarness(opts: { except?: string[] } = {}) {
  const t: TestEngine = await startTestEngine();
  let now = Date.now();
  await pinClock(t, now);
  await t.client.createDeployment({ resources: deploymentResources(processFiles(REPAIR_DIR)) });
  const { workerClient, workerCtx } = testWorkerClient(t);
  const factories = workerFactories
    .filter((f) => f(workerCtx).jobType.startsWith('repair-'))
    .filter((f) => !opts.except?.includes(f(workerCtx).jobType));
  const workers: RunningWorkers = startWorkers(workerClient, workerCtx, factories);
  const service = new RepairService(t.db.knex);
  await addCrew(t.db.knex, 'crew.wang');

  const openTasks = async (pi: string, elementId: string): Promise<OpenTask[]> => {
    const found = await t.client.searchUserTasks(
      { filter: { processInstanceKey: pi as never, elementId: elementId as never, state: 'CREATED' } } as never,
      NOW,
    );
    return found.items as unknown as OpenTask[];
  };
  const task = (pi: string, elementId: string) => eventually(async () => (await openTasks(pi, elementId))[0]);
  const state = async (pi: string) =>
    (await t.client.getProcessInstance({ processInstanceKey: pi as never }, NOW)).state as string;

  return {
    t,
    service,
    workerClient,
    workerCtx,
    task,
    openTasks,
    state,
    now: () => now,
    /** Moves the engine's clock forward; due timers fire. */
    async advance(ms: number) {
      now += ms;
      await pinClock(t, now);
    },
    async complete(pi: string, elementId: string, variables: Record<string, unknown> = {}) {
      const { userTaskKey } = await task(pi, elementId);
      await t.client.completeUserTask({ userTaskKey: userTaskKey as never, variables });
    },
    async variables(pi: string): Promise<Record<string, unknown>> {
      const found = await t.client.searchVariables(
        { filter: { processInstanceKey: pi as never, scopeKey: pi as never }, page: { limit: 100 } } as never,
        NOW,
      );
      return Object.fromEntries(found.items.map((v: { name: string; value: string }) => [v.name, JSON.parse(v.value)]));
    },
    /** A ticket for a new account, started as the API starts it: domain first, then the process with its variables. */
    async startTicket(extra: Record<string, unknown> = {}) {
      const accountNo = await openRepairAccount(t.db.knex);
      const created = await service.createTicket(
        {
          accountNo,
          category: 'leak',
          description: '水表前漏水',
          contactPhone: '13912345678',
          urgency: 'urgent',
          ...extra,
        },
        { actor: 'clerk' },
      );
      const variables = {
        ...(await service.processVariables(created)),
        crewOptions: [{ label: '王师傅班组', value: 'crew.wang' }],
      };
      const pi = String(
        (await t.client.createProcessInstance({ processDefinitionId: 'repair-ticket' as never, variables }))
          .processInstanceKey,
      );
      await service.attachProcess(created.ticketNo, pi, { actor: 'clerk' });
      return { pi, ticketNo: created.ticketNo, created };
    },
    async stop() {
      await workers.stop(1000);
      await t.client.resetClock();
      await t.stop();
    },
  };
}
export type RepairHarness = Awaited<ReturnType<typeof startRepairHarness>>;
