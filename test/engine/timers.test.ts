import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, eventually, instanceState } from '../support/records.js';
import { activeJob, elementState, pinClock, recordsOf } from '../support/events.js';

const MIN = 60_000;
let t: TestEngine;
let now = Date.parse('2029-12-31T22:00:00Z');

async function advance(ms: number): Promise<void> {
  now += ms;
  await pinClock(t, now);
}

beforeAll(async () => {
  t = await startTestEngine();
  await pinClock(t, now);
  await t.deploy('timer-catch.bpmn', 'timer-boundary.bpmn', 'timer-event-subprocess.bpmn', 'timer-user-task.bpmn');
});
afterAll(async () => {
  await t?.client.resetClock();
  await t?.stop();
});

describe('intermediate timer catch event', () => {
  test('waits for its duration (FEEL from a variable) and then moves on', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'timer-catch' as never,
      variables: { waitFor: 'PT5M' },
    });
    const [created] = await recordsOf(t.db.knex, pi.processInstanceKey, 'TIMER', 'CREATED');
    expect(created.value).toMatchObject({ targetElementId: 'wait', dueDate: now + 5 * MIN, repetitions: 1 });
    await advance(4 * MIN);
    await new Promise((r) => setTimeout(r, 300));
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('ACTIVE');
    await advance(2 * MIN);
    await eventually(async () => (await instanceState(t.db.knex, pi.processInstanceKey)) === 'COMPLETED');
    expect(await elementsWith(t.db.knex, pi.processInstanceKey, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'wait',
      'end',
      'timer-catch',
    ]);
    expect((await recordsOf(t.db.knex, pi.processInstanceKey, 'TIMER', 'TRIGGERED')).map((r) => r.key)).toEqual([
      created.key,
    ]);
  });

  test('a duration expression that is not a duration is an incident on the catch event', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'timer-catch' as never, variables: {} });
    const incidents = await t.db.knex('engine.incident').where({ process_instance_key: pi.processInstanceKey });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ element_id: 'wait', error_type: 'EXTRACT_VALUE_ERROR' });
    expect(incidents[0].error_message).toContain("Expected result of the expression 'waitFor'");
  });
});

describe('timer boundary events', () => {
  test('non-interrupting cycle fires its repetitions while the task goes on; the interrupting timer then cancels the task', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'timer-boundary' as never, variables: {} });
    const key = pi.processInstanceKey;
    await activeJob(t, 'timer-boundary-work', key);
    await advance(11 * MIN);
    await eventually(async () => (await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).includes('reminded'));
    expect(await elementState(t.db.knex, key, 'work')).toEqual(['ACTIVATED']);
    await advance(11 * MIN);
    await eventually(
      async () =>
        (await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).filter((e) => e === 'reminded').length === 2,
    );
    await advance(11 * MIN);
    await new Promise((r) => setTimeout(r, 300));
    expect((await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).filter((e) => e === 'reminded')).toHaveLength(2); // R2: two in all
    await advance(30 * MIN);
    await eventually(async () => (await instanceState(t.db.knex, key)) === 'COMPLETED');
    expect(await elementState(t.db.knex, key, 'work')).toEqual(['TERMINATED']);
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'remind',
      'reminded',
      'remind',
      'reminded',
      'timeout',
      'timedOut',
      'timer-boundary',
    ]);
    const job = await t.db.knex('engine.job').where({ process_instance_key: key }).first();
    expect(job.state).toBe('CANCELED');
  });

  test('completing the task first closes its boundary timers', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'timer-boundary' as never, variables: {} });
    const key = pi.processInstanceKey;
    const job = await activeJob(t, 'timer-boundary-work', key);
    await t.client.completeJob({ jobKey: job.jobKey, variables: { ok: true } });
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    expect((await recordsOf(t.db.knex, key, 'TIMER', 'CANCELED')).map((r) => r.value.targetElementId).sort()).toEqual([
      'remind',
      'timeout',
    ]);
    await advance(3 * 60 * MIN);
    await new Promise((r) => setTimeout(r, 300));
    expect(await recordsOf(t.db.knex, key, 'TIMER', 'TRIGGERED')).toHaveLength(0);
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'work',
      'done',
      'timer-boundary',
    ]);
  });
});

describe('interrupting timer on a sub-process', () => {
  test('terminates everything inside: the user task is cancelled and the token waiting at the join dropped', async () => {
    const pi = await t.client.createProcessInstance({ processDefinitionId: 'timer-user-task' as never, variables: {} });
    const key = pi.processInstanceKey;
    const job = await activeJob(t, 'tut-check', key);
    await t.client.completeJob({ jobKey: job.jobKey, variables: {} });
    expect(await t.db.knex('engine.taken_flow').where({ process_instance_key: key })).toHaveLength(1);
    await advance(3 * 24 * 60 * MIN);
    await eventually(async () => (await instanceState(t.db.knex, key)) === 'COMPLETED');
    expect(await elementState(t.db.knex, key, 'review')).toEqual(['TERMINATED']);
    expect(await elementState(t.db.knex, key, 'approve')).toEqual(['TERMINATED']);
    const task = await t.db.knex('engine.user_task').where({ process_instance_key: key }).first();
    expect(task.state).toBe('CANCELED');
    expect(await t.db.knex('engine.taken_flow').where({ process_instance_key: key })).toHaveLength(0);
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'rStart',
      'split',
      'check',
      'overdue',
      'escalated',
      'timer-user-task',
    ]);
  });
});

describe('timer event sub-processes', () => {
  test('non-interrupting runs alongside; interrupting terminates the rest of the scope', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'timer-event-subprocess' as never,
      variables: {},
    });
    const key = pi.processInstanceKey;
    await activeJob(t, 'timer-esp-work', key);
    await advance(31 * MIN);
    await eventually(async () => (await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).includes('nag'));
    expect(await elementState(t.db.knex, key, 'work')).toEqual(['ACTIVATED']);
    expect(await instanceState(t.db.knex, key)).toBe('ACTIVE');
    await advance(90 * MIN);
    await eventually(async () => (await instanceState(t.db.knex, key)) === 'COMPLETED');
    expect(await elementState(t.db.knex, key, 'work')).toEqual(['TERMINATED']);
    expect(await elementsWith(t.db.knex, key, 'ELEMENT_COMPLETED')).toEqual([
      'start',
      'nagStart',
      'nagEnd',
      'nag',
      'expireStart',
      'expired',
      'expire',
      'timer-event-subprocess',
    ]);
  });
});

describe('timer start events', () => {
  test('a cycle with repetitions starts instances at its due dates; a new version removes the old subscription', async () => {
    now = Date.parse('2029-12-31T23:30:00Z');
    await pinClock(t, now);
    const deployed = await t.deploy('timer-start.bpmn');
    const defKey = deployed.processes[0].processDefinitionKey;
    const instances = () =>
      t.db
        .knex('engine.process_instance')
        .where({ process_definition_key: defKey })
        .orderBy('key')
        .select('key', 'state');
    expect(await instances()).toHaveLength(0);
    now = Date.parse('2030-01-01T00:00:01Z');
    await pinClock(t, now);
    await eventually(async () => (await instances()).length === 1);
    now = Date.parse('2030-01-01T01:00:01Z');
    await pinClock(t, now);
    await eventually(async () => (await instances()).length === 2);
    expect((await instances()).map((i) => i.state)).toEqual(['COMPLETED', 'COMPLETED']);
    now = Date.parse('2030-01-01T05:00:00Z');
    await pinClock(t, now);
    await new Promise((r) => setTimeout(r, 300));
    expect(await instances()).toHaveLength(2);
  });

  test('redeploying a changed version cancels the previous version’s timer start', async () => {
    const xml = (await import('node:fs'))
      .readFileSync(new URL('../processes/fixtures/timer-start.bpmn', import.meta.url), 'utf8')
      .replace('R2/2030-01-01T00:00:00Z/PT1H', 'R/PT1H');
    const v1 = await t.client.createDeployment({ resources: [new File([xml], 'timer-start.bpmn')] });
    const v2 = await t.client.createDeployment({
      resources: [
        new File(
          [xml.replace('id="end"', 'id="end2"').replace('targetRef="end"', 'targetRef="end2"')],
          'timer-start.bpmn',
        ),
      ],
    });
    const open = await t.db
      .knex('engine.timer')
      .where({ bpmn_process_id: 'timer-start', state: 'CREATED' })
      .select('process_definition_key');
    expect(open.map((r) => r.process_definition_key)).toEqual([v2.processes[0].processDefinitionKey]);
    const canceled = await t.db
      .knex('engine.timer')
      .where({ process_definition_key: v1.processes[0].processDefinitionKey })
      .first('state');
    expect(canceled.state).toBe('CANCELED');
    // Deleting the latest version brings the previous version's timer start back (Zeebe).
    await t.client.deleteResource({ resourceKey: v2.processes[0].processDefinitionKey } as never);
    const reopened = await t.db
      .knex('engine.timer')
      .where({ bpmn_process_id: 'timer-start', state: 'CREATED' })
      .select('process_definition_key');
    expect(reopened.map((r) => r.process_definition_key)).toEqual([v1.processes[0].processDefinitionKey]);
  });
});
