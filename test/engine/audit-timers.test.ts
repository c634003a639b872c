import { startTestEngine, type TestEngine } from '../support/engine.js';
import { elementsWith, eventually, instanceState } from '../support/records.js';
import { elementState, pinClock } from '../support/events.js';

// Camunda 8.8 docs, BPMN › Timer events: a timer start event with timeDate creates one instance at that date (a
// date in the past fires at once); timeCycle accepts ISO 8601 repeating intervals (`R3/PT1H`: three times, one
// hour apart) and cron expressions (`0 0 9 * * MON`, UTC); a non-interrupting boundary cycle fires its
// repetitions while the activity runs; an interrupting one terminates the activity. The clock is pinned
// through `PUT /v2/clock`.

let t: TestEngine;
let now = Date.parse('2031-03-05T10:00:00Z'); // a Wednesday
beforeAll(async () => {
  t = await startTestEngine();
  await pinClock(t, now);
});
afterAll(async () => {
  await t?.client.resetClock();
  await t?.stop();
});

const instancesOf = (id: string) =>
  t.db.knex('engine.process_instance').where({ bpmn_process_id: id }).orderBy('key').select('key', 'state');
const settle = () => new Promise((r) => setTimeout(r, 400));

describe('Camunda 8.8 conformance: timers', () => {
  test('timer start events: a past date fires once; cron 0 0 9 * * MON fires on Mondays at 09:00 UTC', async () => {
    await t.deploy('audit-timers.bpmn');
    await eventually(async () => (await instancesOf('audit-timer-past')).length === 1);
    const cron = await t.db.knex('engine.timer').where({ bpmn_process_id: 'audit-timer-cron', state: 'CREATED' });
    expect(cron).toHaveLength(1);
    expect(new Date(cron[0].due_date).toISOString()).toBe('2031-03-10T09:00:00.000Z');
    expect(await instancesOf('audit-timer-cron')).toHaveLength(0);

    now = Date.parse('2031-03-10T09:00:01Z');
    await pinClock(t, now);
    await eventually(async () => (await instancesOf('audit-timer-cron')).length === 1);
    const next = await t.db.knex('engine.timer').where({ bpmn_process_id: 'audit-timer-cron', state: 'CREATED' });
    expect(next.map((n) => new Date(n.due_date).toISOString())).toEqual(['2031-03-17T09:00:00.000Z']);
    await settle();
    expect(await instancesOf('audit-timer-past')).toHaveLength(1);
    expect(await instancesOf('audit-timer-cron')).toHaveLength(1);
  });

  test('R3/PT1H on a non-interrupting boundary of a user task fires exactly three times', async () => {
    const pi = (
      await t.client.createProcessInstance({
        processDefinitionId: 'audit-timer-r3' as never,
        variables: { deadline: 'PT10H' },
      })
    ).processInstanceKey;
    for (let i = 1; i <= 5; i += 1) {
      now += 3_600_000 + 1000;
      await pinClock(t, now);
      const expected = Math.min(i, 3);
      await eventually(
        async () =>
          (await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).filter((e) => e === 'remind').length === expected,
      );
    }
    await settle();
    expect((await elementsWith(t.db.knex, pi, 'ELEMENT_COMPLETED')).filter((e) => e === 'remind')).toHaveLength(3);
    expect(await elementState(t.db.knex, pi, 'review')).toEqual(['ACTIVATED']);
    // The interrupting boundary (PT10H from activation) terminates the task and its user task.
    now += 6 * 3_600_000;
    await pinClock(t, now);
    await eventually(async () => (await instanceState(t.db.knex, pi)) === 'COMPLETED');
    expect(await elementState(t.db.knex, pi, 'review')).toEqual(['TERMINATED']);
    const task = await t.db.knex('engine.user_task').where({ process_instance_key: pi }).first();
    expect(task.state).toBe('CANCELED');
  });

  // BPMN › Timer events (a timeDate in the past fires at once) and User tasks (completion variables are local to the
  // user task; with output mappings only the mapped ones reach the process).
  test('an intermediate timer with a past date fires at once; user task completion variables go through the output mappings', async () => {
    const pi = (await t.client.createProcessInstance({ processDefinitionId: 'audit-timer-ut' as never, variables: {} }))
      .processInstanceKey;
    const task = await eventually(() => t.db.knex('engine.user_task').where({ process_instance_key: pi }).first());
    await t.client.completeUserTask({ userTaskKey: task.key, variables: { decision: true, comment: 'fine' } } as never);
    await eventually(async () => (await instanceState(t.db.knex, pi)) === 'COMPLETED');
    const rows = await t.db.knex('engine.variable').where({ scope_key: pi }).select('name', 'value');
    expect(Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]))).toEqual({ approved: true });
  });
});
