import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, instanceState } from '../support/records.js';
import { activeJob, elementState, recordsOf } from '../support/events.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('escalation.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

describe('escalation events', () => {
  test('a non-interrupting boundary on the sub-process catches LATE; the thrower and the sub-process go on', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'escalation' as never, variables: { decision: 'go' } });
    const key = pi.processInstanceKey;
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual(['start', 'spStart', 'route', 'throwLate', 'lateNoted', 'notedEnd']);
    const job = await activeJob(t, 'esc-work', key);
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    expect((await recordsOf(t.db.knex, key, 'ESCALATION')).map((r) => [r.intent, r.value.escalationCode])).toEqual([['ESCALATED', 'LATE']]);
  });

  test('an escalation end event is caught by the catch-all interrupting event sub-process of the process', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'escalation' as never, variables: { decision: 'stop' } });
    const key = pi.processInstanceKey;
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    expect(await elementState(t.db.knex, key, 'sp')).toEqual(['TERMINATED']);
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual(['start', 'spStart', 'route', 'anyEscalation', 'stopped', 'stopHandler', 'escalation']);
  });

  test('an uncaught escalation is no incident: the process goes on', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'escalation-uncaught' as never, variables: {} });
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    expect((await recordsOf(t.db.knex, pi.processInstanceKey, 'ESCALATION')).map((r) => r.intent)).toEqual(['NOT_ESCALATED']);
  });
});
