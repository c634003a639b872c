import { startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';
import { activeJob, elementState, pinClock } from '../support/events.js';
import { elementsWith, eventually } from '../support/records.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('event-subprocess-scopes.bpmn', 'event-subprocess-boundary.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

describe('event sub-process inside a sub-process', () => {
  test('subscribes with the sub-process’s local variables, sees them, keeps its own locals, and holds the scope open', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'event-subprocess-scopes' as never,
      variables: { ticket: 'T9' },
    });
    const key = pi.processInstanceKey;
    const sub = await t.db
      .knex('engine.message_subscription')
      .where({ process_instance_key: key, state: 'CREATED' })
      .first();
    expect(sub).toMatchObject({ message_name: 'case-query', correlation_key: 'case-T9', element_id: 'asked' });

    await t.client.publishMessage({
      name: 'case-query',
      correlationKey: 'case-T9',
      variables: { question: 'when?' },
    } as never);
    const answerJob = await activeJob(t, 'espv-answer', key);
    expect(answerJob.variables).toMatchObject({
      ticket: 'T9',
      caseRef: 'case-T9',
      espLocal: 'inside',
      question: 'when?',
    });

    // The sub-process's own work ends first: the running event sub-process keeps it open.
    const work = await activeJob(t, 'espv-work', key);
    await t.client.completeJob({ jobKey: work.jobKey, variables: {} });
    expect(await elementState(t.db.knex, key, 'sp')).toEqual(['ACTIVATED']);
    await t.client.completeJob({ jobKey: answerJob.jobKey, variables: { reply: 'tomorrow' } });
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    const vars = await rootVariables(t.db.knex, key);
    expect(vars).toMatchObject({ ticket: 'T9', reply: 'tomorrow' });
    expect(vars).not.toHaveProperty('caseRef');
    expect(vars).not.toHaveProperty('espLocal');
  });
});

describe('interrupting event sub-process and the scope’s boundary events', () => {
  test('the sub-process’s own boundary timer stays armed while its interrupting event sub-process runs', async () => {
    const at = Date.parse('2033-01-01T00:00:00Z');
    await pinClock(t, at);
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'event-subprocess-boundary' as never,
      variables: { id: 'B1' },
    });
    const key = pi.processInstanceKey;
    await t.client.publishMessage({ name: 'esp-stop', correlationKey: 'B1' } as never);
    expect(await elementState(t.db.knex, key, 'spWork')).toEqual(['TERMINATED']);
    const stopJob = await activeJob(t, 'eb2-stop', key);
    await pinClock(t, at + 2 * 3_600_000);
    await eventually(async () => (await instanceState(t.db.knex, key)) === 'COMPLETED');
    expect(await elementState(t.db.knex, key, 'sp')).toEqual(['TERMINATED']);
    expect((await t.db.knex('engine.job').where({ key: stopJob.jobKey }).first()).state).toBe('CANCELED');
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'spStart',
      'stop',
      'late',
      'lateEnd',
      'event-subprocess-boundary',
    ]);
    await t.client.resetClock();
  });
});
