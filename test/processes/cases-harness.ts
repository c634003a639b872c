import path from 'node:path';
import { CasesService } from '../../domain/cases/service.js';
import { deploymentResources, processFiles } from '../../server/camunda/deploy-processes.js';
import { startWorkers, workerFactories, type RunningWorkers } from '../../workers/index.js';
import { pinClock } from '../support/events.js';
import { testWorkerClient } from '../support/workers.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/records.js';

const PROCESSES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../processes');
const NOW = { consistency: { waitUpToMs: 0 } } as never;

export interface OpenTask {
  userTaskKey: string;
  elementId: string;
  candidateGroups: string[];
  assignee?: string;
  dueDate?: string;
  formKey?: string;
}

/**
 * Engine + database with the case models (processes/cases) and the modules they call deployed (each folder one
 * deployment, as start-up does), the workers whose job type starts with one of `workerPrefixes` running, and the
 * clock pinned.
 */
export async function startCasesHarness(opts: { folders?: string[]; workerPrefixes?: string[] } = {}) {
  const t: TestEngine = await startTestEngine();
  let now = Date.now();
  await pinClock(t, now);
  for (const folder of opts.folders ?? ['accounts', 'payments', 'cases'])
    await t.client.createDeployment({
      resources: deploymentResources(processFiles(path.join(PROCESSES, folder))),
    });
  const { workerClient, workerCtx } = testWorkerClient(t);
  const prefixes = opts.workerPrefixes ?? ['case-', 'account-', 'certificate-'];
  const factories = workerFactories.filter((f) => prefixes.some((p) => f(workerCtx).jobType.startsWith(p)));
  const workers: RunningWorkers = startWorkers(workerClient, workerCtx, factories);
  const service = new CasesService(t.db.knex);

  const openTasks = async (pi: string, elementId?: string): Promise<OpenTask[]> => {
    const filter: Record<string, unknown> = { processInstanceKey: pi, state: 'CREATED' };
    if (elementId) filter.elementId = elementId;
    const found = await t.client.searchUserTasks({ filter } as never, NOW);
    return found.items as unknown as OpenTask[];
  };
  const task = (pi: string, elementId: string) => eventually(async () => (await openTasks(pi, elementId))[0]);
  const state = async (pi: string) =>
    (await t.client.getProcessInstance({ processInstanceKey: pi as never }, NOW)).state as string;

  return {
    t,
    knex: t.db.knex,
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
    /** Completes the open task of `elementId` (as the test client: assign first where a model needs an assignee). */
    async complete(pi: string, elementId: string, variables: Record<string, unknown> = {}) {
      const { userTaskKey } = await task(pi, elementId);
      await t.client.completeUserTask({ userTaskKey: userTaskKey as never, variables });
    },
    async variables(pi: string): Promise<Record<string, unknown>> {
      const found = await t.client.searchVariables(
        { filter: { processInstanceKey: pi as never, scopeKey: pi as never }, page: { limit: 200 } } as never,
        NOW,
      );
      return Object.fromEntries(found.items.map((v: { name: string; value: string }) => [v.name, JSON.parse(v.value)]));
    },
    /**
     * Opens a case as POST /api/business-cases does: the case row first, then its process with its variables
     * (`overrides` replace some: what changed in the network between the intake and a step).
     */
    async openCase(input: Record<string, unknown>, actor = 'clerk.li', overrides: Record<string, unknown> = {}) {
      const opened = await service.openCase(input, { actor });
      const variables = { ...(await service.processVariables(opened.caseNo)), ...overrides };
      const pi = String(
        (await t.client.createProcessInstance({ processDefinitionId: opened.caseType as never, variables }))
          .processInstanceKey,
      );
      await service.attachProcess(opened.caseNo, pi, { actor });
      return { pi, ...opened };
    },
    async stop() {
      await workers.stop(1000);
      await t.client.resetClock();
      await t.stop();
    },
  };
}
export type CasesHarness = Awaited<ReturnType<typeof startCasesHarness>>;
