import { DEFAULT_CALENDAR, targetMs, workdayMs, workingMs, type WorkCalendar } from './calendar.js';

const H = 3_600_000;
const M = 60_000;
// Asia/Shanghai is UTC+8 all year: 08:30 local = 00:30Z. 2026-12-07 is a Monday.
const sh = (local: string) => `${local}+08:00`;

describe('working time (Mon–Fri 08:30–12:00, 13:30–17:30, Asia/Shanghai)', () => {
  test('inside one morning period', () => {
    expect(workingMs(sh('2026-12-07T09:00'), sh('2026-12-07T11:00'))).toBe(2 * H);
  });

  test('across lunch: 11:00–12:00 and 13:30–14:00 = 1h30', () => {
    expect(workingMs(sh('2026-12-07T11:00'), sh('2026-12-07T14:00'))).toBe(90 * M);
  });

  test('across a night: Mon 16:00 → Tue 10:00 = 1h30 + 1h30 = 3h', () => {
    expect(workingMs(sh('2026-12-07T16:00'), sh('2026-12-08T10:00'))).toBe(3 * H);
  });

  test('across a weekend: Fri 17:00 → Mon 09:30 = 30m + 1h = 1h30', () => {
    expect(workingMs(sh('2026-12-11T17:00'), sh('2026-12-14T09:30'))).toBe(90 * M);
  });

  test('a whole working week Mon 00:00 → next Mon 00:00 = 5 × 7h30 = 37h30', () => {
    expect(workingMs(sh('2026-12-07T00:00'), sh('2026-12-14T00:00'))).toBe(37.5 * H);
  });

  test('all of it outside working hours is zero (Sat, and a night, and lunch)', () => {
    expect(workingMs(sh('2026-12-12T09:00'), sh('2026-12-12T16:00'))).toBe(0);
    expect(workingMs(sh('2026-12-07T18:00'), sh('2026-12-08T08:00'))).toBe(0);
    expect(workingMs(sh('2026-12-07T12:10'), sh('2026-12-07T13:20'))).toBe(0);
  });

  test('end before start is zero', () => {
    expect(workingMs(sh('2026-12-08T10:00'), sh('2026-12-07T10:00'))).toBe(0);
  });

  test('instants given in UTC are read in the utility zone: 01:00Z Mon = 09:00 local; 05:00Z = 13:00 local', () => {
    expect(workingMs('2026-12-07T01:00:00Z', '2026-12-07T05:00:00Z')).toBe(3 * H);
  });

  test('a holiday is skipped and a make-up Saturday counts', () => {
    const cal: WorkCalendar = { ...DEFAULT_CALENDAR, holidays: ['2026-12-08'], extraWorkdays: ['2026-12-12'] };
    // Mon 16:00 → Wed 09:00: Mon 1h30, Tue holiday, Wed 30m = 2h
    expect(workingMs(sh('2026-12-07T16:00'), sh('2026-12-09T09:00'), cal)).toBe(2 * H);
    // Fri 17:00 → Mon 09:00: Fri 30m, Sat (make-up) 7h30, Mon 30m = 8h30
    expect(workingMs(sh('2026-12-11T17:00'), sh('2026-12-14T09:00'), cal)).toBe(8.5 * H);
  });

  test('another zone and periods: UTC, 09:00–17:00 on Mon–Sat', () => {
    const cal: WorkCalendar = {
      timeZone: 'UTC',
      periods: [['09:00', '17:00']],
      weekdays: [1, 2, 3, 4, 5, 6],
      holidays: [],
      extraWorkdays: [],
    };
    // Sat 16:00Z → Mon 10:00Z: Sat 1h, Sun none, Mon 1h
    expect(workingMs('2026-12-12T16:00:00Z', '2026-12-14T10:00:00Z', cal)).toBe(2 * H);
  });
});

describe('targets from the escalation timer', () => {
  test('a working day is 7h30', () => {
    expect(workdayMs()).toBe(7.5 * H);
  });

  test('hours are working hours, days working days, weeks five working days', () => {
    expect(targetMs('PT2H')).toBe(2 * H);
    expect(targetMs('PT90M')).toBe(90 * M);
    expect(targetMs('P2D')).toBe(15 * H);
    expect(targetMs('P1DT1H')).toBe(8.5 * H);
    expect(targetMs('P1W')).toBe(37.5 * H);
  });

  test('no target: expressions, months, years, negatives, nothing', () => {
    expect(targetMs('=surveyDue')).toBeNull();
    expect(targetMs('P1M')).toBeNull();
    expect(targetMs('P1Y')).toBeNull();
    expect(targetMs('-PT1H')).toBeNull();
    expect(targetMs('')).toBeNull();
    expect(targetMs(undefined)).toBeNull();
    expect(targetMs('R/PT1H')).toBeNull();
  });
});
