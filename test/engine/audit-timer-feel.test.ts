import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually, instanceState } from '../support/records.js';
import { pinClock } from '../support/events.js';

// Camunda 8.8 docs, BPMN › Timer events: timeDate and timeDuration may be FEEL expressions returning a date-time
// or a duration (FEEL › Temporal expressions: date-time + duration; now() reads the engine clock, pinnable through
// `PUT /v2/clock`).

let t: TestEngine;
let now = Date.parse('2032-06-01T08:00:00Z');
beforeAll(async () => {
  t = await startTestEngine();
  await pinClock(t, now);
  await t.deploy('audit-timer-feel.bpmn');
});
afterAll(async () => {
  await t?.client.resetClock();
  await t?.stop();
});

const dueOf = async (pi: string, elementId: string) => {
  const timer = await eventually(() =>
    t.db.knex('engine.timer').where({ process_instance_key: pi, element_id: elementId, state: 'CREATED' }).first(),
  );
  return new Date(timer.due_date).toISOString();
};

describe('Camunda 8.8 conformance: FEEL temporal arithmetic in timers', () => {
  test('date and time + duration, a duration built from text times a number, now() + duration', async () => {
    const pi = (
      await t.client.createProcessInstance({
        processDefinitionId: 'audit-timer-feel' as never,
        variables: { startAt: '2032-06-01T10:00:00+02:00', minutes: 45 },
      })
    ).processInstanceKey;
    expect(await dueOf(pi, 'byDate')).toBe('2032-06-02T08:00:00.000Z');
    now = Date.parse('2032-06-02T08:00:01Z');
    await pinClock(t, now);
    expect(await dueOf(pi, 'byDuration')).toBe(new Date(now + 45 * 60_000).toISOString());
    now += 45 * 60_000;
    await pinClock(t, now);
    expect(await dueOf(pi, 'byNow')).toBe(new Date(now + 2 * 3_600_000).toISOString());
    now += 2 * 3_600_000;
    await pinClock(t, now);
    await eventually(async () => (await instanceState(t.db.knex, pi)) === 'COMPLETED');
  });
});
