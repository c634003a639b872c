import { startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';
import { activeJob, elementState } from '../support/events.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('event-subprocess-scopes.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

describe('event sub-process inside a sub-process', () => {
  test('subscribes with the sub-process’s local variables, sees them, keeps its own locals, and holds the scope open', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'event-subprocess-scopes' as never, variables: { ticket: 'T9' } });
    const key = pi.processInstanceKey;
    const sub = await t.db.knex('engine.message_subscription').where({ process_instance_key: key, state: 'CREATED' }).first();
    expect(sub).toMatchObject({ message_name: 'case-query', correlation_key: 'case-T9', element_id: 'asked' });

    await t.client.publishMessage({ name: 'case-query', correlationKey: 'case-T9', variables: { question: 'when?' } } as never);
    const answerJob = await activeJob(t, 'espv-answer', key);
    expect(answerJob.variables).toMatchObject({ ticket: 'T9', caseRef: 'case-T9', espLocal: 'inside', question: 'when?' });

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
