import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually, instanceState } from '../support/records.js';

/**
 * Batch cancellation as Camunda 8.8 does it (POST /v2/process-instances/cancellation): the filter picks the active
 * root instances at that moment (its state and parent filters are overridden), the answer is the batch's key, a
 * background worker cancels the items in chunks, and the batch's state and counts (GET /v2/batch-operations/{key},
 * the searches) tell the progress — also across a restart.
 */
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('modify-order.bpmn', 'service-task.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

const now = { consistency: { waitUpToMs: 0 } };

async function start(processId: string, n: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < n; i++)
    keys.push((await t.client.createProcessInstance({ processDefinitionId: processId as never })).processInstanceKey);
  return keys;
}

async function finished(batchOperationKey: string) {
  return eventually(async () => {
    const b = await t.client.getBatchOperation({ batchOperationKey: batchOperationKey as never }, now);
    return b.state === 'COMPLETED' || b.state === 'PARTIALLY_COMPLETED' ? b : null;
  });
}

describe('batch cancellation', () => {
  test('cancels the active root instances the filter matches (its state filter overridden); the batch counts them; items are searchable', async () => {
    const orders = await start('modify-order', 3);
    const [other] = await start('service-task', 1);
    // Already ended: not an item, whatever the filter says about states.
    const [ended] = await start('modify-order', 1);
    await t.client.cancelProcessInstance({ processInstanceKey: ended as never });

    const created = await t.client.cancelProcessInstancesBatchOperation(
      { filter: { processDefinitionId: 'modify-order', state: 'TERMINATED' } as never },
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
      { filter: { batchOperationKey: created.batchOperationKey } as never, sort: [{ field: 'itemKey' }] } as never,
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
    expect(b).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 0, operationsCompletedCount: 0 });
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

  test('an unknown batch is 404', async () => {
    expect(await rejection(t.client.getBatchOperation({ batchOperationKey: '4711' as never }, now))).toMatchObject({
      status: 404,
      title: 'NOT_FOUND',
    });
  });
});
