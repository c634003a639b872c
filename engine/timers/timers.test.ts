import { evaluateRaw } from '../feel/index.js';
import { afterFiring, parseCron, parseInterval, parseTimer, type Timer, type TimerResult } from './index.js';

const now = new Date('2026-03-15T10:30:00Z');
const at = (iso: string) => new Date(iso);

function ok(result: TimerResult): Timer {
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('timeDuration', () => {
  test.each<[string, string]>([
    ['PT5M', '2026-03-15T10:35:00Z'],
    ['PT0.5S', '2026-03-15T10:30:00.500Z'],
    ['PT36H', '2026-03-16T22:30:00Z'],
    ['P1D', '2026-03-16T10:30:00Z'],
    ['P2W', '2026-03-29T10:30:00Z'],
    ['P1M', '2026-04-15T10:30:00Z'],
    ['P1Y2M3DT4H', '2027-05-18T14:30:00Z'],
    ['pt10m', '2026-03-15T10:40:00Z'],
    ['-PT30M', '2026-03-15T10:00:00Z'],
  ])('%s fires at %s, once', (text, due) => {
    const timer = ok(parseTimer('timeDuration', text, now));
    expect(timer.dueAt).toEqual(at(due));
    expect(timer.repetitions).toBe(1);
    expect(timer.next(timer.dueAt, timer.dueAt)).toBeNull();
  });

  test('month arithmetic follows the calendar (Jan 31 + P1M = Feb 28)', () => {
    expect(ok(parseTimer('timeDuration', 'P1M', at('2026-01-31T00:00:00Z'))).dueAt).toEqual(at('2026-02-28T00:00:00Z'));
  });

  test('FEEL expressions yielding durations or ISO strings', () => {
    const vars = { minutes: 3, wait: 'PT1H' };
    const evaluate = (e: string) => evaluateRaw(e, vars, { now });
    expect(ok(parseTimer('timeDuration', '=duration("PT" + string(minutes) + "M")', now, evaluate)).dueAt).toEqual(
      at('2026-03-15T10:33:00Z'),
    );
    expect(ok(parseTimer('timeDuration', '=wait', now, evaluate)).dueAt).toEqual(at('2026-03-15T11:30:00Z'));
    expect(ok(parseTimer('timeDuration', '=date and time("2026-03-16T00:00:00Z") - now()', now)).dueAt).toEqual(
      at('2026-03-16T00:00:00Z'),
    );
  });

  test.each<[string, RegExp]>([
    ['5 minutes', /^Invalid duration format '5 minutes' for expression '5 minutes'\.$/],
    ['P', /Invalid duration format/],
    [
      '=wait',
      /to be one of '\[DURATION, PERIOD, STRING\]', but was 'NULL'.*\n\[NO_VARIABLE_FOUND\] No variable found with name 'wait'/s,
    ],
    ['=1 +', /^failed to parse expression/],
    ['=true', /but was 'BOOLEAN'/],
  ])('%s is rejected', (text, message) => {
    const result = parseTimer('timeDuration', text, now);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });
});

describe('timeDate', () => {
  test.each<[string, string]>([
    ['2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z'],
    ['2026-12-01T08:00:00+01:00', '2026-12-01T07:00:00Z'],
    ['2026-12-01T08:00:00+01:00[Europe/Berlin]', '2026-12-01T07:00:00Z'],
    ['2026-07-01T08:00:00@Europe/Berlin', '2026-07-01T06:00:00Z'],
    ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'],
    ['=date and time("2026-12-24T18:00:00Z")', '2026-12-24T18:00:00Z'],
    ['=now() + duration("P1D")', '2026-03-16T10:30:00Z'],
    ['="2026-12-01T08:00:00Z"', '2026-12-01T08:00:00Z'],
  ])('%s is due at %s, once', (text, due) => {
    const timer = ok(parseTimer('timeDate', text, now));
    expect(timer.dueAt).toEqual(at(due));
    expect(timer.repetitions).toBe(1);
    expect(timer.next(timer.dueAt)).toBeNull();
  });

  test.each(['2026-12-01T08:00:00', '2026-12-01', 'tomorrow', '=missing', '=duration("PT1H")'])(
    '%s is rejected',
    (text) => {
      expect(parseTimer('timeDate', text, now).ok).toBe(false);
    },
  );

  test('variables come in through the evaluator', () => {
    const evaluate = (e: string) => evaluateRaw(e, { deadline: '2026-04-01T00:00:00Z' }, { now });
    expect(ok(parseTimer('timeDate', '=deadline', now, evaluate)).dueAt).toEqual(at('2026-04-01T00:00:00Z'));
  });
});

describe('timeCycle: repeating intervals', () => {
  test('R5/PT10S fires five times, every ten seconds from now', () => {
    const timer = ok(parseTimer('timeCycle', 'R5/PT10S', now));
    expect(timer.dueAt).toEqual(at('2026-03-15T10:30:10Z'));
    expect(timer.repetitions).toBe(5);
    expect(timer.next(timer.dueAt)).toEqual(at('2026-03-15T10:30:20Z'));
  });

  test('R/PT1M repeats for ever', () => {
    const timer = ok(parseTimer('timeCycle', 'R/PT1M', now));
    expect(timer.repetitions).toBe('infinite');
    expect(timer.dueAt).toEqual(at('2026-03-15T10:31:00Z'));
    expect(timer.next(at('2026-03-15T10:31:00Z'), at('2026-03-15T10:31:00Z'))).toEqual(at('2026-03-15T10:32:00Z'));
  });

  test('with a start in the future: first at the start, then every interval', () => {
    const timer = ok(parseTimer('timeCycle', 'R3/2026-12-01T00:00:00Z/P1D', now));
    expect(timer.dueAt).toEqual(at('2026-12-01T00:00:00Z'));
    expect(timer.repetitions).toBe(3);
    expect(timer.next(timer.dueAt)).toEqual(at('2026-12-02T00:00:00Z'));
  });

  test('with a start in the past: fires now (overdue), as Zeebe does', () => {
    expect(ok(parseTimer('timeCycle', 'R/2020-01-01T00:00:00Z/P1D', now)).dueAt).toEqual(now);
  });

  test('a zoned start adds calendar days in its zone (DST: 24h becomes 23h)', () => {
    const timer = ok(parseTimer('timeCycle', 'R/2026-03-28T12:00:00+01:00[Europe/Berlin]/P1D', now));
    expect(timer.dueAt).toEqual(at('2026-03-28T11:00:00Z'));
    expect(timer.next(timer.dueAt)).toEqual(at('2026-03-29T10:00:00Z'));
  });

  test('an overdue next occurrence is re-anchored on now instead of firing in a burst', () => {
    const timer = ok(parseTimer('timeCycle', 'R/PT1M', now));
    const late = at('2026-03-15T11:00:30Z');
    expect(timer.next(at('2026-03-15T10:31:00Z'), late)).toEqual(at('2026-03-15T11:01:30Z'));
  });

  test('an expression yielding the cycle', () => {
    const evaluate = (e: string) => evaluateRaw(e, { every: 'PT15M' }, { now });
    const timer = ok(parseTimer('timeCycle', '="R2/" + every', now, evaluate));
    expect(timer.dueAt).toEqual(at('2026-03-15T10:45:00Z'));
    expect(timer.repetitions).toBe(2);
  });

  test.each([
    'R5',
    'Rx/PT1M',
    'R/P',
    'R/PT0S',
    'R/-PT1M',
    'R/2026-13-01T00:00:00Z/PT1M',
    'R/2026-12-01T00:00:00/PT1M',
    '=5',
  ])('%s is rejected', (text) => expect(parseTimer('timeCycle', text, now).ok).toBe(false));

  test('afterFiring counts down finite cycles', () => {
    expect(afterFiring(3)).toBe(2);
    expect(afterFiring(1)).toBeNull();
    expect(afterFiring(0)).toBeNull();
    expect(afterFiring('infinite')).toBe('infinite');
  });
});

describe('timeCycle: cron (Spring, six fields, UTC)', () => {
  test.each<[string, string, string]>([
    ['0 0 12 ? * FRI', '2026-03-20T12:00:00Z', '2026-03-27T12:00:00Z'],
    ['0 */5 * * * *', '2026-03-15T10:35:00Z', '2026-03-15T10:40:00Z'],
    ['0 0 9 * * MON-FRI', '2026-03-16T09:00:00Z', '2026-03-17T09:00:00Z'],
    ['0 0 0 L * *', '2026-03-31T00:00:00Z', '2026-04-30T00:00:00Z'],
    ['0 0 0 ? * MON#2', '2026-04-13T00:00:00Z', '2026-05-11T00:00:00Z'],
    ['0 0 0 * * 7', '2026-03-22T00:00:00Z', '2026-03-29T00:00:00Z'],
    ['@daily', '2026-03-16T00:00:00Z', '2026-03-17T00:00:00Z'],
    ['@midnight', '2026-03-16T00:00:00Z', '2026-03-17T00:00:00Z'],
    ['@hourly', '2026-03-15T11:00:00Z', '2026-03-15T12:00:00Z'],
    ['@weekly', '2026-03-22T00:00:00Z', '2026-03-29T00:00:00Z'],
    ['@monthly', '2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z'],
    ['@yearly', '2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z'],
  ])('%s: first %s, then %s, for ever', (text, first, second) => {
    const timer = ok(parseTimer('timeCycle', text, now));
    expect(timer.dueAt).toEqual(at(first));
    expect(timer.repetitions).toBe('infinite');
    expect(timer.next(timer.dueAt, timer.dueAt)).toEqual(at(second));
  });

  test('both day fields restricted: Spring needs both to match (Friday the 13th)', () => {
    const timer = ok(parseTimer('timeCycle', '0 0 0 13 * FRI', now));
    expect(timer.dueAt).toEqual(at('2026-11-13T00:00:00Z'));
    expect(timer.next(timer.dueAt)).toEqual(at('2027-08-13T00:00:00Z'));
    const everySecond = ok(parseTimer('timeCycle', '* * * 13 * FRI', now));
    expect(everySecond.dueAt).toEqual(at('2026-11-13T00:00:00Z'));
    expect(everySecond.next(everySecond.dueAt)).toEqual(at('2026-11-13T00:00:01Z'));
  });

  test('next() starts from the later of last due and now', () => {
    const timer = ok(parseTimer('timeCycle', '0 0 * * * *', now));
    expect(timer.next(at('2026-03-15T11:00:00Z'), at('2026-03-15T15:20:00Z'))).toEqual(at('2026-03-15T16:00:00Z'));
  });

  test('a cron that never fires is rejected', () => {
    expect(parseTimer('timeCycle', '0 0 0 30 2 *', now).ok).toBe(false);
  });

  test.each([
    ['*/5 * * * *', /6 fields, found 5/],
    ['0 0 25 * * *', /Invalid cron expression/],
    ['@minutely', /unknown macro/],
    ['H 0 * * * *', /'H' is not supported/],
    ['0 0 9 15W * *', /Invalid cron expression/],
    ['every day', /Invalid cron expression/],
  ])('%s is rejected', (text, message) => {
    const result = parseTimer('timeCycle', text, now);
    expect(!result.ok && result.message).toMatch(message);
  });

  test('parseCron exposes the cron on its own', () => {
    const parsed = parseCron('0 30 8 * * THU');
    expect(parsed.ok && parsed.cron.next(now)).toEqual(at('2026-03-19T08:30:00Z'));
  });
});

describe('parseInterval', () => {
  test.each(['PT5M', 'P1D', 'P2W', 'P1Y2M3DT4H5M6S', '+PT1S', '-P1D', 'PT1.5S'])('%s parses', (text) =>
    expect(parseInterval(text)).not.toBeNull(),
  );
  test.each(['', 'P', '5M', 'T5M', 'PT', 'P1H', 'duration'])('%p does not', (text) =>
    expect(parseInterval(text)).toBeNull(),
  );
});

test('timers are pure: the same input gives the same due date', () => {
  const a = ok(parseTimer('timeCycle', 'R/PT1H', now));
  const b = ok(parseTimer('timeCycle', 'R/PT1H', now));
  expect(a.dueAt).toEqual(b.dueAt);
});
