import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually, instanceState } from '../support/records.js';

/**
 * Batch operations as Camunda 8.8 runs them — cancellation, migration, modification (move) — here cancellation (POST /v2/process-instances/cancellation): the filter picks the active
 * root instances at that moment (its state and parent filters are overridden), the answer is the batch's key, a
 * background worker cancels the items in chunks, and the batch's state and counts (GET /v2/batch-operations/{key},
 * the searches) tell the progress — also across a restart.
 */
let t: TestEngine;
let v1: string;
let v2: string;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('modify-order.bpmn', 'service-task.bpmn');
  v1 = (await t.deploy('migrate-order-v1.bpmn')).processes[0].processDefinitionKey;
  v2 = (await t.deploy('migrate-order-v2.bpmn')).processes[0].processDefinitionKey;
});
afterAll(async () => {
  await t?.stop();
});

const now = { consistency: { waitUpToMs: 0 } };

async function start(processId: string, n: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i++)
    keys.push(
      (
        await t.client.createProcessInstance({
          processDefinitionId: processId as never,
        })
      ).processInstanceKey,
    );
  return keys;
}

async function finished(batchOperationKey: string) {
  return eventually(async () => {
    const b = await t.client.getBatchOperation({ batchOperationKey: batchOperationKey as never }, now);
    return b.state === 'COMPLETED' || b.state === 'PARTIALLY_COMPLETED' ? b : null;
  });
}

describe('batch operations', () => {
  test('cancels the active root instances the filter matches (its state filter overridden); the batch counts them; items are searchable', async () => {
    const orders = await start('modify-order', 3);
    const [other] = await start('service-task', 1);
    // Already ended: not an item, whatever the filter says about states.
    const [ended] = await start('modify-order', 1);
    await t.client.cancelProcessInstance({
      processInstanceKey: ended as never,
    });

    const created = await t.client.cancelProcessInstancesBatchOperation(
      {
        filter: {
          processDefinitionId: 'modify-order',
          state: 'TERMINATED',
        } as never,
      },
      now,
    );
    expect(created.batchOperationType).toBe('CANCEL_PROCESS_INSTANCE');
    const batch = await finished(created.batchOperationKey!);
    expect(batch).toMatchObject({
      batchOperationKey: created.batchOperationKey,
      batchOperationType: 'CANCEL_PROCESS_INSTANCE',
      state: 'COMPLETED',
      operationsTotalCount: 3,
      operationsCompletedCount: 3,
      operationsFailedCount: 0,
    });
    expect(batch.endDate).toBeDefined();
    for (const k of orders) expect(await instanceState(t.db.knex, k)).toBe('TERMINATED');
    expect(await instanceState(t.db.knex, other)).toBe('ACTIVE');

    const items = await t.client.searchBatchOperationItems(
      {
        filter: { batchOperationKey: created.batchOperationKey } as never,
        sort: [{ field: 'itemKey' }],
      } as never,
      now,
    );
    expect(items.items!.map((i) => [i.processInstanceKey, i.state])).toEqual(
      [...orders].sort().map((k) => [k, 'COMPLETED']),
    );
    expect(items.items!.every((i) => i.processedDate && i.operationType === 'CANCEL_PROCESS_INSTANCE')).toBe(true);

    const search = await t.client.searchBatchOperations(
      { filter: { operationType: 'CANCEL_PROCESS_INSTANCE' } } as never,
      now,
    );
    expect(search.items!.map((b) => b.batchOperationKey)).toContain(created.batchOperationKey);
  });

  test('a batch with nothing to do is completed at once', async () => {
    const created = await t.client.cancelProcessInstancesBatchOperation(
      { filter: { processDefinitionId: 'no-such-process' } as never },
      now,
    );
    const b = await t.client.getBatchOperation({ batchOperationKey: created.batchOperationKey! }, now);
    expect(b).toMatchObject({
      state: 'COMPLETED',
      operationsTotalCount: 0,
      operationsCompletedCount: 0,
    });
  });

  test('a restart right after the request: the worker carries on with the items left, each cancelled once', async () => {
    const keys = await start('service-task', 45);
    const created = await t.client.cancelProcessInstancesBatchOperation(
      { filter: { processDefinitionId: 'service-task' } as never },
      now,
    );
    await t.restart();
    const b = await finished(created.batchOperationKey!);
    // 45 + the one left active by the first test.
    expect(b).toMatchObject({
      state: 'COMPLETED',
      operationsTotalCount: 46,
      operationsCompletedCount: 46,
      operationsFailedCount: 0,
    });
    for (const k of keys) expect(await instanceState(t.db.knex, k)).toBe('TERMINATED');
    const cancels = await t.db
      .knex('engine.record')
      .whereIn('process_instance_key', keys)
      .where({ intent: 'ELEMENT_TERMINATED', element_id: 'service-task' })
      .count({ n: '*' });
    expect(Number(cancels[0].n)).toBe(45);
  });

  test('a migration batch moves every active instance of v1 to v2 (jobs keep their keys); an instance that cannot be migrated fails alone', async () => {
    const startV1 = async () =>
      (await t.client.createProcessInstance({ processDefinitionKey: v1 as never, variables: { orderId: 'B' } }))
        .processInstanceKey;
    const keys = [await startV1(), await startV1()];
    // This one has left check (its job completed): its token waits at the join, which this engine does not migrate.
    const waiting = await startV1();
    const { jobs } = await t.client.activateJobs({
      type: 'mig-check',
      maxJobsToActivate: 10,
      timeout: 60000,
      worker: 't',
    } as never);
    await t.client.completeJob({
      jobKey: jobs.find((j) => j.processInstanceKey === waiting)!.jobKey,
    });
    const jobKeys = await t.db.knex('engine.job').whereIn('process_instance_key', keys).orderBy('key').pluck('key');

    const created = await t.client.migrateProcessInstancesBatchOperation(
      {
        filter: { processDefinitionKey: v1 } as never,
        migrationPlan: {
          targetProcessDefinitionKey: v2 as never,
          mappingInstructions: [
            { sourceElementId: 'check', targetElementId: 'check2' },
            { sourceElementId: 'approval', targetElementId: 'approval' },
            { sourceElementId: 'approve', targetElementId: 'approve2' },
          ] as never,
        },
      },
      now,
    );
    expect(created.batchOperationType).toBe('MIGRATE_PROCESS_INSTANCE');
    const b = await finished(created.batchOperationKey!);
    expect(b).toMatchObject({
      state: 'PARTIALLY_COMPLETED',
      operationsTotalCount: 3,
      operationsCompletedCount: 2,
      operationsFailedCount: 1,
    });
    for (const k of keys)
      expect((await t.db.knex('engine.process_instance').where({ key: k }).first()).process_definition_key).toBe(v2);
    expect(
      await t.db.knex('engine.job').whereIn('process_instance_key', keys).orderBy('key').pluck('element_id'),
    ).toEqual(['check2', 'check2']);
    expect(await t.db.knex('engine.job').whereIn('process_instance_key', keys).orderBy('key').pluck('key')).toEqual(
      jobKeys,
    );
    const failed = await t.client.searchBatchOperationItems(
      {
        filter: {
          batchOperationKey: created.batchOperationKey,
          state: 'FAILED',
        },
      } as never,
      now,
    );
    expect(failed.items!.map((i) => i.processInstanceKey)).toEqual([waiting]);
    expect(failed.items![0].errorMessage).toContain('has tokens waiting at a joining gateway');
  });

  test('a modification batch moves the token of every matching instance from review to pack', async () => {
    const keys = await start('modify-order', 2);
    const created = await t.client.modifyProcessInstancesBatchOperation(
      {
        filter: { processInstanceKey: { $in: keys } } as never,
        moveInstructions: [{ sourceElementId: 'review', targetElementId: 'pack' }] as never,
      },
      now,
    );
    expect(created.batchOperationType).toBe('MODIFY_PROCESS_INSTANCE');
    expect(await finished(created.batchOperationKey!)).toMatchObject({
      state: 'COMPLETED',
      operationsCompletedCount: 2,
    });
    for (const k of keys) {
      const active = await t.db
        .knex('engine.element_instance')
        .where({ process_instance_key: k })
        .whereIn('state', ['ACTIVATED'])
        .whereNot('element_type', 'PROCESS')
        .pluck('element_id');
      expect(active).toEqual(['pack']);
      expect(
        await t.db
          .knex('engine.element_instance')
          .where({ process_instance_key: k, element_id: 'review' })
          .pluck('state'),
      ).toEqual(['TERMINATED']);
    }
  });

  test('an unknown batch is 404', async () => {
    expect(await rejection(t.client.getBatchOperation({ batchOperationKey: '4711' as never }, now))).toMatchObject({
      status: 404,
      title: 'NOT_FOUND',
    });
  });
});
