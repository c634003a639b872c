import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, eventually, instanceState, rootVariables } from '../support/records.js';
import { activeJob, elementState } from '../support/events.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('signal-start.bpmn', 'signal-catch.bpmn', 'signal-throw.bpmn', 'message-throw.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

const startedByTariff = () =>
  t.db.knex('engine.process_instance').where({ bpmn_process_id: 'signal-start' }).orderBy('key').select('key', 'state');

describe('signals', () => {
  test('a broadcast starts instances at signal start events, with its variables', async () => {
    const res = await t.client.broadcastSignal({
      signalName: 'tariff-changed',
      variables: { tariff: 'T-2031' },
    } as never);
    expect(res.signalKey).toMatch(/^\d+$/);
    const [pi] = await startedByTariff();
    expect(pi.state).toBe('COMPLETED');
    expect(await rootVariables(t.db.knex, pi.key)).toEqual({ tariff: 'T-2031' });
    expect(await elementsWith(t.db.knex, pi.key, 'ELEMENT_COMPLETED')).toEqual(['changed', 'end', 'signal-start']);
  });

  test('boundary (non-interrupting and interrupting) and event sub-process signals reach every waiting instance', async () => {
    const a = await t.client.createProcessInstance({ processDefinitionId: 'signal-catch' as never, variables: {} });
    const b = await t.client.createProcessInstance({ processDefinitionId: 'signal-catch' as never, variables: {} });
    await t.client.broadcastSignal({ signalName: 'notice-all', variables: { notice: 'water off 9-12' } } as never);
    await t.client.broadcastSignal({ signalName: 'audit-all' } as never);
    for (const pi of [a, b]) {
      const done = await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED');
      expect(done).toEqual(['start', 'noted', 'notedEnd', 'audit', 'audited', 'auditSub']);
      expect(await elementState(t.db.knex, pi.processInstanceKey, 'work')).toEqual(['ACTIVATED']);
      expect(await rootVariables(t.db.knex, pi.processInstanceKey)).toEqual({ notice: 'water off 9-12' });
    }
    const job = await activeJob(t, 'sig-work', b.processInstanceKey);
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    await t.client.broadcastSignal({ signalName: 'halt-all' } as never);
    expect(await instanceState(t.db.knex, a.processInstanceKey)).toBe('COMPLETED');
    expect(await elementState(t.db.knex, a.processInstanceKey, 'work')).toEqual(['TERMINATED']);
    expect(await elementsWith(t.db.knex, a.processInstanceKey, 'ELEMENT_COMPLETED')).toContain('haltedEnd');
    // b had left the task: its boundary subscriptions are gone; it waits at the catch event.
    expect(await instanceState(t.db.knex, b.processInstanceKey)).toBe('ACTIVE');
    expect(await elementState(t.db.knex, b.processInstanceKey, 'waitGo')).toEqual(['ACTIVATED']);
  });

  test('signal throw and end events broadcast (input mappings as variables); message throw events are jobs', async () => {
    const waiting = await t.client.createProcessInstance({
      processDefinitionId: 'signal-catch' as never,
      variables: {},
    });
    const job = await activeJob(t, 'sig-work', waiting.processInstanceKey);
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    const before = (await startedByTariff()).length;
    const thrower = await t.client.createProcessInstance({
      processDefinitionId: 'signal-throw' as never,
      variables: { batch: 42 },
    });
    expect(await instanceState(t.db.knex, thrower.processInstanceKey)).toBe('COMPLETED');
    await eventually(async () => (await instanceState(t.db.knex, waiting.processInstanceKey)) === 'COMPLETED');
    expect(await rootVariables(t.db.knex, waiting.processInstanceKey)).toMatchObject({ batchNo: 42 });
    await eventually(async () => (await startedByTariff()).length === before + 1);

    const sender = await t.client.createProcessInstance({
      processDefinitionId: 'message-throw' as never,
      variables: {},
    });
    const sms = await activeJob(t, 'send-sms', sender.processInstanceKey);
    expect(sms.elementId).toBe('notify');
    await t.client.completeJob({ jobKey: sms.jobKey, variables: { smsSent: true } });
    const letter = await activeJob(t, 'send-letter', sender.processInstanceKey);
    await t.client.completeJob({ jobKey: letter.jobKey, variables: {} });
    expect(await instanceState(t.db.knex, sender.processInstanceKey)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, sender.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'notify',
      'reply',
      'message-throw',
    ]);
  });
});
