import { rejection, startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, eventually, instanceState, rootVariables } from '../support/records.js';
import { activeJob, elementState, pinClock, recordsOf } from '../support/events.js';

let t: TestEngine;
let now = Date.parse('2031-03-01T08:00:00Z');

const completed = (key: string) => eventually(async () => (await instanceState(t.db.knex, key)) === 'COMPLETED');

beforeAll(async () => {
  t = await startTestEngine();
  await pinClock(t, now);
  await t.deploy(
    'message-catch.bpmn',
    'receive-task.bpmn',
    'message-boundary.bpmn',
    'message-start.bpmn',
    'event-based-gateway.bpmn',
    'message-event-subprocess.bpmn',
  );
});
afterAll(async () => {
  await t?.client.resetClock();
  await t?.stop();
});

describe('message catch events and receive tasks', () => {
  test('publish correlates to the waiting subscription; its variables propagate; one message meets an instance once', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'message-catch' as never,
      variables: { orderId: 'O-1' },
    });
    const key = pi.processInstanceKey;
    const sub = await t.db
      .knex('engine.message_subscription')
      .where({ process_instance_key: key, state: 'CREATED' })
      .first();
    expect(sub).toMatchObject({ message_name: 'payment-received', correlation_key: 'O-1', element_id: 'paid' });
    const published = await t.client.publishMessage({
      name: 'payment-received',
      correlationKey: 'O-1',
      timeToLive: 60000,
      variables: { amount: 120 },
    } as never);
    expect(published.messageKey).toMatch(/^\d+$/);
    // The buffered message took 'paid'; it must not also complete 'again' (Zeebe: once per instance).
    await new Promise((r) => setTimeout(r, 400));
    expect(await elementState(t.db.knex, key, 'again')).toEqual(['ACTIVATED']);
    await t.client.publishMessage({
      name: 'payment-received',
      correlationKey: 'O-1',
      variables: { amount: 130 },
    } as never);
    await completed(key);
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'paid',
      'again',
      'end',
      'message-catch',
    ]);
    expect(await rootVariables(t.db.knex, key)).toEqual({ orderId: 'O-1', amount: 130 });
    const correlated = await recordsOf(t.db.knex, key, 'PROCESS_MESSAGE_SUBSCRIPTION', 'CORRELATED');
    expect(correlated.map((r) => [r.element_id, r.value.messageKey === published.messageKey])).toEqual([
      ['paid', true],
      ['again', false],
    ]);
  });

  test('a buffered message (TTL) meets a subscription opened later; output mappings apply', async () => {
    await t.client.publishMessage({
      name: 'doc-arrived',
      correlationKey: 'C-7',
      timeToLive: 3_600_000,
      variables: { docs: ['id-card'] },
    } as never);
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'receive-task' as never,
      variables: { caseId: 'C-7' },
    });
    await completed(pi.processInstanceKey);
    expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({ caseId: 'C-7', documents: ['id-card'] });
  });

  test('without TTL a message is not buffered; an expired buffered message is deleted and meets nobody', async () => {
    await t.client.publishMessage({ name: 'doc-arrived', correlationKey: 'C-8', variables: { docs: [] } } as never);
    await t.client.publishMessage({
      name: 'doc-arrived',
      correlationKey: 'C-8',
      timeToLive: 1000,
      messageId: 'expiring',
    } as never);
    now += 5000;
    await pinClock(t, now);
    await eventually(async () => !(await t.db.knex('engine.message').where({ message_id: 'expiring' }).first()));
    expect(
      await t.db
        .knex('engine.record')
        .where({ value_type: 'MESSAGE', intent: 'EXPIRED' })
        .whereRaw(`value->>'messageId' = 'expiring'`),
    ).toHaveLength(1);
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'receive-task' as never,
      variables: { caseId: 'C-8' },
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(await elementState(t.db.knex, pi.processInstanceKey, 'receive')).toEqual(['ACTIVATED']);
    await t.client.correlateMessage({
      name: 'doc-arrived',
      correlationKey: 'C-8',
      variables: { docs: ['deed'] },
    } as never);
    await completed(pi.processInstanceKey);
  });

  test('a messageId is published once while buffered (409 ALREADY_EXISTS)', async () => {
    await t.client.publishMessage({
      name: 'doc-arrived',
      correlationKey: 'C-9',
      timeToLive: 60000,
      messageId: 'dup-1',
    } as never);
    const err = await rejection(
      t.client.publishMessage({
        name: 'doc-arrived',
        correlationKey: 'C-9',
        timeToLive: 60000,
        messageId: 'dup-1',
      } as never),
    );
    expect(err.status).toBe(409);
    expect(await t.db.knex('engine.message').where({ message_id: 'dup-1' })).toHaveLength(1);
  });

  test('correlate returns the instance it reached, and is a 404 when nothing waits', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'receive-task' as never,
      variables: { caseId: 'C-10' },
    });
    const res = await t.client.correlateMessage({
      name: 'doc-arrived',
      correlationKey: 'C-10',
      variables: { docs: [1] },
    } as never);
    expect(res.processInstanceKey).toBe(pi.processInstanceKey);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    const err = await rejection(t.client.correlateMessage({ name: 'doc-arrived', correlationKey: 'nobody' } as never));
    expect(err.status).toBe(404);
  });

  test('a correlation key that is no string or number is an incident on the element', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'receive-task' as never,
      variables: { caseId: { no: 1 } },
    });
    const inc = await t.db.knex('engine.incident').where({ process_instance_key: pi.processInstanceKey }).first();
    expect(inc).toMatchObject({ element_id: 'receive', error_type: 'EXTRACT_VALUE_ERROR' });
    expect(inc.error_message).toContain('correlation key');
  });
});

describe('message boundary events', () => {
  test('non-interrupting spawns a path while the task continues; interrupting cancels the task and its job', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'message-boundary' as never,
      variables: { caseId: 'K-1' },
    });
    const key = pi.processInstanceKey;
    const job = await activeJob(t, 'mb-review', key);
    await t.client.publishMessage({
      name: 'status-query',
      correlationKey: 'K-1',
      variables: { asker: 'customer' },
    } as never);
    await t.client.publishMessage({ name: 'status-query', correlationKey: 'K-1' } as never);
    expect((await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).filter((e) => e === 'answered')).toHaveLength(2);
    expect(await elementState(t.db.knex, key, 'review')).toEqual(['ACTIVATED']);
    await t.client.publishMessage({ name: 'cancel-request', correlationKey: 'K-1' } as never);
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    expect(await elementState(t.db.knex, key, 'review')).toEqual(['TERMINATED']);
    expect((await t.db.knex('engine.job').where({ key: job.jobKey }).first()).state).toBe('CANCELED');
    expect(await rootVariables(t.db.knex, key)).toEqual({ caseId: 'K-1', asker: 'customer' });
    expect(
      await t.db.knex('engine.message_subscription').where({ process_instance_key: key, state: 'CREATED' }),
    ).toHaveLength(0);
  });

  test('completing the task closes its message subscriptions', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'message-boundary' as never,
      variables: { caseId: 'K-2' },
    });
    const job = await activeJob(t, 'mb-review', pi.processInstanceKey);
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    const subs = await t.db
      .knex('engine.message_subscription')
      .where({ process_instance_key: pi.processInstanceKey })
      .select('state');
    expect(subs.map((s) => s.state)).toEqual(['DELETED', 'DELETED']);
    const err = await rejection(t.client.correlateMessage({ name: 'cancel-request', correlationKey: 'K-2' } as never));
    expect(err.status).toBe(404);
  });
});

describe('message start events', () => {
  test('a message starts an instance; with a correlation key only one active instance per key', async () => {
    const instances = () =>
      t.db
        .knex('engine.process_instance')
        .where({ bpmn_process_id: 'message-start' })
        .orderBy('key')
        .select('key', 'state');
    await t.client.publishMessage({ name: 'order-placed', correlationKey: 'A', variables: { orderId: 'A' } } as never);
    expect(await instances()).toHaveLength(1);
    const [first] = await instances();
    expect(await rootVariables(t.db.knex, first.key)).toEqual({ orderId: 'A' });
    expect(await elementsWith(t.db.knex, first.key, 'ELEMENT_COMPLETED')).toEqual(['placed']);
    await t.client.publishMessage({ name: 'order-placed', correlationKey: 'A', variables: { orderId: 'A' } } as never);
    expect(await instances()).toHaveLength(1);
    await t.client.publishMessage({ name: 'order-placed', correlationKey: 'B', variables: { orderId: 'B' } } as never);
    expect(await instances()).toHaveLength(2);
    const res = await t.client.correlateMessage({ name: 'order-confirmed', correlationKey: 'A' } as never);
    expect(res.processInstanceKey).toBe(first.key);
    await t.client.publishMessage({ name: 'order-placed', correlationKey: 'A', variables: { orderId: 'A' } } as never);
    expect(await instances()).toHaveLength(3);
  });
});

describe('message start events with buffering', () => {
  test('a buffered message for a busy correlation key starts its instance once the key is free', async () => {
    const ofKey = async (k: string) => {
      const rows = await t.db
        .knex('engine.process_instance')
        .where({ bpmn_process_id: 'message-start' })
        .orderBy('key')
        .select('key', 'state');
      const out = [];
      for (const r of rows) if ((await rootVariables(t.db.knex, r.key)).orderId === k) out.push(r);
      return out;
    };
    await t.client.publishMessage({
      name: 'order-placed',
      correlationKey: 'C',
      variables: { orderId: 'C', n: 1 },
    } as never);
    await t.client.publishMessage({
      name: 'order-placed',
      correlationKey: 'C',
      timeToLive: 3_600_000,
      variables: { orderId: 'C', n: 2 },
    } as never);
    await new Promise((r) => setTimeout(r, 400));
    expect(await ofKey('C')).toHaveLength(1);
    await t.client.correlateMessage({ name: 'order-confirmed', correlationKey: 'C' } as never);
    await eventually(async () => (await ofKey('C')).length === 2);
    const [, second] = await ofKey('C');
    expect(await rootVariables(t.db.knex, second.key)).toEqual({ orderId: 'C', n: 2 });
    await new Promise((r) => setTimeout(r, 400));
    expect(await ofKey('C')).toHaveLength(2);
  });
});

describe('event-based gateway', () => {
  test('the first event wins and the other subscriptions close', async () => {
    const a = await t.client.createProcessInstance({
      processDefinitionId: 'event-based-gateway' as never,
      variables: { id: 'E-1' },
    });
    const b = await t.client.createProcessInstance({
      processDefinitionId: 'event-based-gateway' as never,
      variables: { id: 'E-2' },
    });
    await t.client.publishMessage({
      name: 'approval',
      correlationKey: 'E-1',
      variables: { approvedBy: 'manager' },
    } as never);
    expect(await instanceState(t.db.knex, a.processInstanceKey)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, a.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'gw',
      'approval',
      'approved',
      'event-based-gateway',
    ]);
    expect(await rootVariables(t.db.knex, a.processInstanceKey)).toEqual({ id: 'E-1', approvedBy: 'manager' });
    expect(
      (await recordsOf(t.db.knex, a.processInstanceKey, 'TIMER', 'CANCELED')).map((r) => r.value.targetElementId),
    ).toEqual(['deadline']);
    now += 2 * 3_600_000;
    await pinClock(t, now);
    await eventually(async () => (await instanceState(t.db.knex, b.processInstanceKey)) === 'COMPLETED');
    expect(await elementsWith(t.db.knex, b.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'gw',
      'deadline',
      'expired',
      'event-based-gateway',
    ]);
    const subs = await t.db
      .knex('engine.message_subscription')
      .where({ process_instance_key: b.processInstanceKey })
      .select('state');
    expect(subs.map((s) => s.state)).toEqual(['DELETED']);
  });
});

describe('message event sub-processes', () => {
  test('non-interrupting runs alongside the task; interrupting ends the scope', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'message-event-subprocess' as never,
      variables: { id: 'S-1' },
    });
    const key = pi.processInstanceKey;
    await activeJob(t, 'mesp-work', key);
    await t.client.publishMessage({ name: 'ping', correlationKey: 'S-1' } as never);
    await t.client.publishMessage({ name: 'ping', correlationKey: 'S-1' } as never);
    expect((await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).filter((e) => e === 'pingSub')).toHaveLength(2);
    expect(await elementState(t.db.knex, key, 'work')).toEqual(['ACTIVATED']);
    await t.client.publishMessage({ name: 'abort', correlationKey: 'S-1', variables: { reason: 'customer' } } as never);
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    expect(await elementState(t.db.knex, key, 'work')).toEqual(['TERMINATED']);
    expect(await rootVariables(t.db.knex, key)).toEqual({ id: 'S-1', reason: 'customer' });
    expect(
      await t.db.knex('engine.message_subscription').where({ process_instance_key: key, state: 'CREATED' }),
    ).toHaveLength(0);
  });
});
