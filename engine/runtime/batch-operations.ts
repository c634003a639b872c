import type { Runtime, Scheduler } from './runtime.js';
import type { Sql } from '../store/search/fields.js';
import { runSearch } from '../store/search/run.js';
import { processInstanceSearch } from '../store/read/process-instances.js';
import { finishChunk, insertBatchOperation, lockNextChunk, type BatchOperationRow } from '../store/batch-operations.js';
import { cancelProcessInstance } from './commands/process-instances.js';
import { migrateProcessInstance, type MigrateInstanceRequest } from './commands/migration.js';
import { moveElements, type MoveInstruction } from './commands/move-elements.js';
import { Rejection } from './errors.js';

/**
 * Batch operations as Camunda 8.8 runs them: the request fixes the items (the instances its filter matches at that
 * moment) and is answered at once with the batch's key; a background worker then works them off in chunks, each
 * item its own command, and the batch's state and counts tell the progress. Rows, not memory: after a restart (or
 * on another engine process) the worker carries on with what is left.
 */

/** Items per chunk: one short transaction holds the batch's lock while its items' commands run. */
const CHUNK = 20;
const POLL_MS = 1000;

export type BatchOperationType = 'CANCEL_PROCESS_INSTANCE' | 'MIGRATE_PROCESS_INSTANCE' | 'MODIFY_PROCESS_INSTANCE';

/** What each item of a batch does, with the batch's plan (migration plan, move instructions). */
export type BatchPlan =
  | { type: 'CANCEL_PROCESS_INSTANCE' }
  | { type: 'MIGRATE_PROCESS_INSTANCE'; migrationPlan: MigrateInstanceRequest }
  | { type: 'MODIFY_PROCESS_INSTANCE'; moveInstructions: MoveInstruction[] };

/**
 * Creates a batch over the process instances a filter matches now. Only active instances can be cancelled,
 * migrated or modified, so the filter's state is overridden; a cancellation takes root instances only (a called
 * one ends with its parent), so its parentProcessInstanceKey is overridden too — as Camunda documents.
 */
export async function createProcessInstanceBatch(
  rt: Runtime,
  plan: BatchPlan,
  filter: Record<string, unknown>,
  readable: Sql[],
  actor: string | null,
): Promise<{
  batchOperationKey: string;
  batchOperationType: BatchOperationType;
}> {
  const overridden = plan.type === 'CANCEL_PROCESS_INSTANCE' ? ['state', 'parentProcessInstanceKey'] : ['state'];
  const rest = Object.fromEntries(Object.entries(filter).filter(([k]) => !overridden.includes(k)));
  const scope: Sql[] = [...readable, { sql: `pi.state = 'ACTIVE'`, bindings: [] }];
  if (plan.type === 'CANCEL_PROCESS_INSTANCE')
    scope.push({ sql: 'pi.parent_process_instance_key IS NULL', bindings: [] });
  const keys: string[] = [];
  for (let after: string | undefined; ;) {
    const page = await runSearch(
      rt.store.pool,
      processInstanceSearch,
      {
        filter: rest,
        sort: [{ field: 'processInstanceKey' }],
        page: after ? { after, limit: 1000 } : { limit: 1000 },
      },
      scope,
    );
    keys.push(...page.items.map((i) => i.processInstanceKey));
    if (page.items.length < 1000 || !page.page.endCursor) break;
    after = page.page.endCursor;
  }
  await rt.keys.ensure(1);
  const key = rt.keys.take();
  const { type, ...rules } = plan;
  await insertBatchOperation(rt.store.pool, {
    key,
    type,
    plan: rules,
    now: rt.clock.now(),
    createdBy: actor,
    processInstanceKeys: keys,
  });
  // The worker of this engine starts at once; other engine processes find the batch when they next poll.
  rt.schedulers.find((s): s is BatchOperationWorker => s instanceof BatchOperationWorker)?.wake();
  return { batchOperationKey: key, batchOperationType: type };
}

/** One item: the batch's command on one process instance, as its creator. */
function runItem(rt: Runtime, batch: BatchOperationRow, piKey: string): Promise<void> {
  const plan = (batch.plan ?? {}) as Record<string, unknown>;
  switch (batch.operation_type) {
    case 'MIGRATE_PROCESS_INSTANCE':
      return migrateProcessInstance(rt, piKey, plan.migrationPlan as MigrateInstanceRequest, batch.created_by);
    case 'MODIFY_PROCESS_INSTANCE':
      return moveElements(rt, piKey, plan.moveInstructions as MoveInstruction[], batch.created_by);
    default:
      return cancelProcessInstance(rt, piKey, batch.created_by);
  }
}

/** Works off active batches, a chunk per transaction, until none is left; then polls for new ones. */
export class BatchOperationWorker implements Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly rt: Runtime) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  wake(): void {
    if (!this.timer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((e) => this.rt.log.error({ err: e }, 'batch operation worker failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    while (this.timer && (await this.chunk())) {
      // one chunk per transaction, so that other work interleaves and a stop waits for one chunk at most
    }
  }

  /** One chunk of the oldest active batch; false when there was nothing to do. */
  private async chunk(): Promise<boolean> {
    return this.rt.tx(async (client) => {
      const next = await lockNextChunk(client, CHUNK);
      if (!next) {
        await client.query('COMMIT');
        return false;
      }
      const outcomes: Array<{ itemKey: string; error: string | null }> = [];
      for (const item of next.items) {
        try {
          await runItem(this.rt, next.batch, item.process_instance_key);
          outcomes.push({ itemKey: item.item_key, error: null });
        } catch (e) {
          if (!(e instanceof Rejection)) throw e;
          outcomes.push({ itemKey: item.item_key, error: e.detail });
        }
      }
      await finishChunk(client, next.batch.key, outcomes, this.rt.clock.now());
      await client.query('COMMIT');
      return true;
    });
  }
}
