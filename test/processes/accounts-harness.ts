import path from 'node:path';
import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { AccountsService } from '../../domain/accounts/service.js';
import { residentIdCheckChar } from '../../domain/accounts/id-number.js';
import { deploymentResources, processFiles } from '../../server/camunda/deploy-processes.js';
import { startWorkers, workerFactories, type RunningWorkers, type WorkerContext } from '../../workers/index.js';
import { testWorkerClient } from '../support/workers.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/records.js';

const PROCESSES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../processes');
const ACCOUNTS_DIR = path.join(PROCESSES, 'accounts');

export interface AccountsHarness {
  t: TestEngine;
  service: AccountsService;
  workers: RunningWorkers;
  /** The workers' own client and context, for a test that runs one job type's worker itself. */
  workerClient: ReturnType<typeof testWorkerClient>['workerClient'];
  workerCtx: WorkerContext;
  /** The open user task of an element, found through the official client. */
  task(
    processInstanceKey: string,
    elementId: string,
  ): Promise<{ userTaskKey: string; candidateGroups: string[]; formKey?: string }>;
  complete(processInstanceKey: string, elementId: string, variables?: Record<string, unknown>): Promise<void>;
  state(processInstanceKey: string): Promise<string>;
  finished(processInstanceKey: string): Promise<void>;
  variables(processInstanceKey: string): Promise<Record<string, unknown>>;
  audit(
    processInstanceKey: string,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- audit JSON, shaped per test
  ): Promise<Array<{ action: string; entity: string; task_key: string; actor: string; after: any }>>;
  /** Opens a demo account directly through the domain (set-up, not under test). */
  openDemo(name?: string): Promise<string>;
  stop(): Promise<void>;
}

// The embedded engine's reads are immediately consistent: no waiting.
const NOW = { consistency: { waitUpToMs: 0 } } as never;
let serial = 0;
/** A valid resident ID (GB 11643 check character). */
export function residentId(n = ++serial): string {
  const first17 = `110101199003${String(10 + (n % 18)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/**
 * Fresh engine + database with the demo tariffs (final bills are priced by them), every model of processes/accounts
 * and the credit-refund approval the demolition calls deployed, the registry's workers running.
 */
export async function startAccountsHarness(opts: { except?: string[] } = {}): Promise<AccountsHarness> {
  const t = await startTestEngine();
  await t.client.createDeployment({ resources: deploymentResources(processFiles(ACCOUNTS_DIR)) });
  // credit-refund with its form and the approval-level table it asks who approves
  const payments = processFiles(path.join(PROCESSES, 'payments')).filter((f) => /credit-refund|approval-level/.test(f));
  await t.client.createDeployment({ resources: deploymentResources(payments) });
  await seedDemoTariffs(t.db.knex);
  const { workerClient, workerCtx } = testWorkerClient(t);
  const factories = workerFactories.filter((f) => !opts.except?.includes(f(workerCtx).jobType));
  const workers = startWorkers(workerClient, workerCtx, factories);
  const service = new AccountsService(t.db.knex);
  await service.createBook({ code: 'T01', name: '测试抄表本' }, { actor: 'test' });

  const task = async (pi: string, elementId: string) =>
    eventually(async () => {
      const found = await t.client.searchUserTasks(
        {
          filter: { processInstanceKey: pi as never, elementId: elementId as never, state: 'CREATED' },
        } as never,
        NOW,
      );
      const item = found.items[0] as { userTaskKey: string; candidateGroups: string[]; formKey?: string } | undefined;
      return item;
    });
  const state = async (pi: string) =>
    (await t.client.getProcessInstance({ processInstanceKey: pi as never }, NOW)).state as string;
  return {
    t,
    service,
    workers,
    workerClient,
    workerCtx,
    task,
    async complete(pi, elementId, variables = {}) {
      const { userTaskKey } = await task(pi, elementId);
      await t.client.completeUserTask({ userTaskKey: userTaskKey as never, variables });
    },
    state,
    async finished(pi) {
      await eventually(async () => (await state(pi)) === 'COMPLETED');
    },
    async variables(pi) {
      const found = await t.client.searchVariables(
        { filter: { processInstanceKey: pi as never, scopeKey: pi as never }, page: { limit: 100 } } as never,
        NOW,
      );
      return Object.fromEntries(found.items.map((v: { name: string; value: string }) => [v.name, JSON.parse(v.value)]));
    },
    async audit(pi) {
      return t.db.knex('cis.audit_log').where({ process_instance_key: pi }).orderBy('id');
    },
    async openDemo(name = '王五') {
      const opened = await service.openAccount(
        {
          customer: { name, idDocNumber: residentId(), phones: ['13800138000'] },
          premise: {
            district: '城东区',
            street: '解放路',
            community: '幸福小区',
            building: '1栋',
            unit: '1单元',
            room: '101室',
          },
          customerClass: 'residential',
          paymentMethod: 'counter',
          book: { code: 'T01' },
          meter: { serial: `M-${Date.now()}-${++serial}` },
        },
        { actor: 'test' },
      );
      return opened.accountNo;
    },
    async stop() {
      await workers.stop(1000);
      await t.stop();
    },
  };
}

/** The account row as the domain keeps it. */
export async function accountRow(h: AccountsHarness, accountNo: string) {
  return h.t.db.knex('cis.accounts').where({ account_no: accountNo }).first();
}
