import { startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState } from '../support/records.js';

// Camunda 8.8 docs, Concepts › Messages › Message cardinality: "A message is correlated only once to a process
// (based on the BPMN process ID), across all versions of this process. If multiple subscriptions for the same
// process are opened (by multiple process instances or within one instance), the message is correlated only to
// one of the subscriptions. When subscriptions are opened for different processes, the message is correlated to
// all of the subscriptions."

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('audit-msg-once.bpmn', 'audit-msg-once-b.bpmn', 'audit-msg-aggregate.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

const start = async (id: string, k: string) =>
  (await t.client.createProcessInstance({ processDefinitionId: id as never, variables: { k } })).processInstanceKey;
const states = (keys: string[]) => Promise.all(keys.map((k) => instanceState(t.db.knex, k)));
const settle = () => new Promise((r) => setTimeout(r, 500));

describe('Camunda 8.8 conformance: message cardinality', () => {
  test('a published message correlates to one instance of a process, and to each different process', async () => {
    const a1 = await start('audit-msg-once', 'K1');
    const a2 = await start('audit-msg-once', 'K1');
    const b1 = await start('audit-msg-once-b', 'K1');
    await t.client.publishMessage({ name: 'audit-once', correlationKey: 'K1' } as never);
    await settle();
    expect((await states([a1, a2])).sort()).toEqual(['ACTIVE', 'COMPLETED']);
    expect(await instanceState(t.db.knex, b1)).toBe('COMPLETED');
    // The oldest subscription took it; the next message reaches the other instance.
    expect(await instanceState(t.db.knex, a1)).toBe('COMPLETED');
    await t.client.publishMessage({ name: 'audit-once', correlationKey: 'K1' } as never);
    await settle();
    expect(await states([a1, a2])).toEqual(['COMPLETED', 'COMPLETED']);
  });

  test('a buffered message correlates once per process, also to subscriptions opened later', async () => {
    await t.client.publishMessage({ name: 'audit-once', correlationKey: 'K2', timeToLive: 3_600_000 } as never);
    const a1 = await start('audit-msg-once', 'K2');
    await settle();
    expect(await instanceState(t.db.knex, a1)).toBe('COMPLETED');
    const a2 = await start('audit-msg-once', 'K2');
    const b1 = await start('audit-msg-once-b', 'K2');
    await settle();
    expect(await instanceState(t.db.knex, a2)).toBe('ACTIVE');
    expect(await instanceState(t.db.knex, b1)).toBe('COMPLETED');
  });

  test('correlate reaches one instance of the process and answers its key', async () => {
    const a1 = await start('audit-msg-once', 'K3');
    const a2 = await start('audit-msg-once', 'K3');
    const res = await t.client.correlateMessage({ name: 'audit-once', correlationKey: 'K3' } as never);
    expect(res.processInstanceKey).toBe(a1);
    expect(await states([a1, a2])).toEqual(['COMPLETED', 'ACTIVE']);
  });

  test('problems as Camunda answers them: correlate with no subscription 404 NOT_FOUND, a buffered messageId 409 ALREADY_EXISTS', async () => {
    const problem = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e as { status?: number; title?: string; detail?: string };
      }
      throw new Error('expected a rejection');
    };
    const notFound = await problem(
      t.client.correlateMessage({ name: 'audit-once', correlationKey: 'nobody-waits' } as never),
    );
    expect(notFound).toMatchObject({
      status: 404,
      title: 'NOT_FOUND',
      detail:
        "Command 'CORRELATE' rejected with code 'NOT_FOUND': Expected to find subscription for message with name 'audit-once' and correlation key 'nobody-waits', but none was found.",
    });
    const first = { name: 'audit-once', correlationKey: 'K4', timeToLive: 60000, messageId: 'audit-dup' };
    await t.client.publishMessage(first as never);
    const duplicate = await problem(t.client.publishMessage(first as never));
    expect(duplicate).toMatchObject({ status: 409, title: 'ALREADY_EXISTS' });
    expect(duplicate.detail).toContain("Expected to publish a new message with id 'audit-dup'");
  });

  // Camunda 8.8 docs, Concepts › Message aggregation: the first message starts an instance, later messages with the
  // same correlation key go to that instance (a message reaches one subscription of a process).
  test('message aggregation: the first message starts the instance, the next one with the key reaches it', async () => {
    const instances = () =>
      t.db.knex('engine.process_instance').where({ bpmn_process_id: 'audit-msg-aggregate' }).orderBy('key');
    const publish = (n: number) =>
      t.client.publishMessage({ name: 'audit-agg', correlationKey: 'O-1', variables: { orderId: 'O-1', n } } as never);
    await publish(1);
    await settle();
    expect((await instances()).map((i) => i.state)).toEqual(['ACTIVE']);
    await publish(2);
    await settle();
    expect((await instances()).map((i) => i.state)).toEqual(['COMPLETED']);
    await publish(3);
    await settle();
    expect((await instances()).map((i) => i.state)).toEqual(['COMPLETED', 'ACTIVE']);
  });

  test('a buffered message that started an instance does not also reach that process’s catch event', async () => {
    const before = await t.db.knex('engine.process_instance').where({ bpmn_process_id: 'audit-msg-aggregate' });
    await t.client.publishMessage({
      name: 'audit-agg',
      correlationKey: 'O-2',
      timeToLive: 600_000,
      variables: { orderId: 'O-2' },
    } as never);
    await settle();
    const started = await t.db
      .knex('engine.process_instance')
      .where({ bpmn_process_id: 'audit-msg-aggregate' })
      .whereNotIn(
        'key',
        before.map((b) => b.key),
      );
    expect(started).toHaveLength(1);
    await settle();
    expect(await instanceState(t.db.knex, started[0].key)).toBe('ACTIVE');
  });
});
