import { startTestEngine, type TestEngine } from '../support/engine.js';
import { createEngine, type Engine } from '../../engine/index.js';
import { elementsWith, eventually, instanceState } from '../support/records.js';
import { pinClock } from '../support/events.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('timer-catch.bpmn', 'receive-task.bpmn', 'timer-boundary.bpmn', 'event-based-gateway.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

describe('events survive a restart', () => {
  test('instances waiting on timers and messages all finish after the engine restarts', async () => {
    const base = Date.parse('2032-06-01T00:00:00Z');
    await pinClock(t, base);
    const timers = await Promise.all(
      [1, 2, 3].map(() =>
        t.client.createProcessInstance({
          processDefinitionId: 'timer-catch' as never,
          variables: { waitFor: 'PT10M' },
        }),
      ),
    );
    const receivers = await Promise.all(
      ['R-1', 'R-2'].map((caseId) =>
        t.client.createProcessInstance({ processDefinitionId: 'receive-task' as never, variables: { caseId } }),
      ),
    );
    // Buffered before the restart, for an instance created after it.
    await t.client.publishMessage({
      name: 'doc-arrived',
      correlationKey: 'R-3',
      timeToLive: 86_400_000,
      variables: { docs: ['late'] },
    } as never);

    await t.restart();
    await pinClock(t, base + 11 * 60_000);
    await t.client.publishMessage({ name: 'doc-arrived', correlationKey: 'R-1', variables: { docs: [] } } as never);
    await t.client.correlateMessage({ name: 'doc-arrived', correlationKey: 'R-2', variables: { docs: [] } } as never);
    const late = await t.client.createProcessInstance({
      processDefinitionId: 'receive-task' as never,
      variables: { caseId: 'R-3' },
    });

    for (const pi of [...timers, ...receivers, late])
      await eventually(async () => (await instanceState(t.db.knex, pi.processInstanceKey)) === 'COMPLETED');
    for (const pi of timers)
      expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
        'start',
        'wait',
        'end',
        'timer-catch',
      ]);
    await t.client.resetClock();
  });
});

describe('signals thrown before a crash', () => {
  test('a signal left in the outbox (its thrower committed, the broadcast never ran) is broadcast by the scheduler', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'event-based-gateway' as never,
      variables: { id: 'crash-1' },
    });
    await t.restart();
    await t.db.knex('engine.signal_outbox').insert({
      key: '9000000000000001',
      signal_name: 'ebg-shutdown',
      variables: JSON.stringify({ cause: 'outage' }),
      tenant_id: '<default>',
      created_at: new Date(),
    });
    await eventually(async () => (await instanceState(t.db.knex, pi.processInstanceKey)) === 'COMPLETED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'gw',
      'shutdown',
      'stopped',
      'event-based-gateway',
    ]);
    // The row goes once the broadcast is done (its transaction commits right after the instance's).
    await eventually(async () => (await t.db.knex('engine.signal_outbox')).length === 0);
  });
});

describe('two engine processes on one database', () => {
  let second: Engine;
  afterAll(async () => {
    await second?.stop();
  });

  test('each due timer fires exactly once', async () => {
    await t.client.resetClock();
    second = createEngine({ databaseUrl: t.db.url, auth: 'none', poolSize: 4 });
    await second.start();
    const n = 30;
    const pis = [];
    for (let i = 0; i < n; i++)
      pis.push(
        await t.client.createProcessInstance({
          processDefinitionId: 'timer-catch' as never,
          variables: { waitFor: 'PT1S' },
        }),
      );
    for (const pi of pis)
      await eventually(async () => (await instanceState(t.db.knex, pi.processInstanceKey)) === 'COMPLETED', 20_000);
    const keys = pis.map((p) => p.processInstanceKey);
    const triggered = await t.db
      .knex('engine.record')
      .whereIn('process_instance_key', keys)
      .andWhere({ value_type: 'TIMER', intent: 'TRIGGERED' })
      .select('key');
    expect(triggered).toHaveLength(n);
    expect(new Set(triggered.map((r) => r.key)).size).toBe(n);
    const waits = await t.db
      .knex('engine.record')
      .whereIn('process_instance_key', keys)
      .andWhere({ intent: 'ELEMENT_COMPLETED', element_id: 'wait' });
    expect(waits).toHaveLength(n);
  });
});
