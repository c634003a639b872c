import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState } from '../support/records.js';
import { activeJob, elementState, recordsOf } from '../support/events.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('escalation.bpmn', 'escalation-call.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

describe('escalation events', () => {
  test('a non-interrupting boundary on the sub-process catches LATE; the thrower and the sub-process go on', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'escalation' as never,
      variables: { decision: 'go' },
    });
    const key = pi.processInstanceKey;
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'spStart',
      'route',
      'throwLate',
      'lateNoted',
      'notedEnd',
    ]);
    const job = await activeJob(t, 'esc-work', key);
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    expect((await recordsOf(t.db.knex, key, 'ESCALATION')).map((r) => [r.intent, r.value.escalationCode])).toEqual([
      ['ESCALATED', 'LATE'],
    ]);
  });

  test('an escalation end event is caught by the catch-all interrupting event sub-process of the process', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'escalation' as never,
      variables: { decision: 'stop' },
    });
    const key = pi.processInstanceKey;
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    expect(await elementState(t.db.knex, key, 'sp')).toEqual(['TERMINATED']);
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'spStart',
      'route',
      'anyEscalation',
      'stopped',
      'stopHandler',
      'escalation',
    ]);
  });

  test('an uncaught escalation is no incident: the process goes on', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'escalation-uncaught' as never,
      variables: {},
    });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect((await recordsOf(t.db.knex, pi.processInstanceKey, 'ESCALATION')).map((r) => r.intent)).toEqual([
      'NOT_ESCALATED',
    ]);
  });
});

describe('escalation from a called process', () => {
  const child = async (parentKey: string) =>
    (await t.db.knex('engine.process_instance').where({ parent_process_instance_key: parentKey }).first('key'))
      .key as string;

  test('a non-interrupting boundary on the call activity catches it; both instances go on', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'escalation-parent' as never,
      variables: { stop: false },
    });
    const childKey = await child(pi.processInstanceKey);
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'lateNoted',
      'notedEnd',
    ]);
    expect((await recordsOf(t.db.knex, childKey, 'ESCALATION')).map((r) => r.intent)).toEqual(['ESCALATED']);
    const job = await activeJob(t, 'esc-child-work', childKey);
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'lateNoted',
      'notedEnd',
      'call',
      'done',
      'escalation-parent',
    ]);
  });

  test('an interrupting boundary on the call activity terminates the child', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'escalation-parent' as never,
      variables: { stop: true },
    });
    const childKey = await child(pi.processInstanceKey);
    const job = await activeJob(t, 'esc-child-work', childKey);
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect(await instanceState(t.db.knex, childKey)).toBe('TERMINATED');
    expect(await elementState(t.db.knex, pi.processInstanceKey, 'call')).toEqual(['TERMINATED']);
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'lateNoted',
      'notedEnd',
      'stopped',
      'stoppedEnd',
      'escalation-parent',
    ]);
  });
});
