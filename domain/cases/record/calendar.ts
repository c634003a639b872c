import { Temporal } from 'temporal-polyfill';

/**
 * The utility's working calendar (cis.case_work_calendar): step times in the case record and the statistics are
 * working time — the hours inside the working periods of working days, in the utility's time zone. Pure.
 */
export interface WorkCalendar {
  timeZone: string;
  /** Local wall-clock periods of a working day, in order, e.g. [["08:30","12:00"],["13:30","17:30"]]. */
  periods: Array<[string, string]>;
  /** ISO weekdays that are working days (Monday = 1 … Sunday = 7). */
  weekdays: number[];
  /** Dates (YYYY-MM-DD) that are not working days although their weekday is (public holidays). */
  holidays: string[];
  /** Dates that are working days although their weekday is not (调休 make-up days). */
  extraWorkdays: string[];
}

export const DEFAULT_CALENDAR: WorkCalendar = {
  timeZone: 'Asia/Shanghai',
  periods: [
    ['08:30', '12:00'],
    ['13:30', '17:30'],
  ],
  weekdays: [1, 2, 3, 4, 5],
  holidays: [],
  extraWorkdays: [],
};

const HOUR = 3_600_000;
// A span longer than this is a data error, not a step: stop counting rather than loop for ever.
const MAX_DAYS = 366 * 20;

function isWorkday(day: Temporal.PlainDate, cal: WorkCalendar): boolean {
  const iso = day.toString();
  if (cal.extraWorkdays.includes(iso)) return true;
  if (cal.holidays.includes(iso)) return false;
  return cal.weekdays.includes(day.dayOfWeek);
}

function instantAt(day: Temporal.PlainDate, hhmm: string, timeZone: string): number {
  return day.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(hhmm) }).epochMilliseconds;
}

/** Working milliseconds between two instants (0 when end is not after start). */
export function workingMs(start: Date | string, end: Date | string, cal: WorkCalendar = DEFAULT_CALENDAR): number {
  const from = new Date(start).getTime();
  const to = new Date(end).getTime();
  if (!(to > from)) return 0;
  const zoned = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(cal.timeZone);
  let day = zoned(from).toPlainDate();
  const last = zoned(to).toPlainDate();
  let total = 0;
  for (let n = 0; Temporal.PlainDate.compare(day, last) <= 0 && n < MAX_DAYS; n++, day = day.add({ days: 1 })) {
    if (!isWorkday(day, cal)) continue;
    for (const [a, b] of cal.periods) {
      const lo = Math.max(from, instantAt(day, a, cal.timeZone));
      const hi = Math.min(to, instantAt(day, b, cal.timeZone));
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

/** The working milliseconds of one working day (the sum of its periods). */
export function workdayMs(cal: WorkCalendar = DEFAULT_CALENDAR): number {
  const minutes = (hhmm: string) => {
    const t = Temporal.PlainTime.from(hhmm);
    return t.hour * 60 + t.minute;
  };
  return cal.periods.reduce((sum, [a, b]) => sum + Math.max(0, minutes(b) - minutes(a)) * 60_000, 0);
}

/**
 * A step's target (the literal ISO 8601 duration of its escalation timer) in working milliseconds: hours, minutes
 * and seconds are working hours; a day is one working day, a week as many working days as the calendar's week
 * has. Years and months are no target (null), as is anything that is not a literal duration (an expression).
 */
export function targetMs(iso: string | null | undefined, cal: WorkCalendar = DEFAULT_CALENDAR): number | null {
  if (!iso || !/^P/i.test(iso.trim())) return null;
  let d: Temporal.Duration;
  try {
    d = Temporal.Duration.from(iso.trim());
  } catch {
    return null;
  }
  if (d.sign < 0 || d.years || d.months) return null;
  const day = workdayMs(cal);
  return (
    (d.weeks * cal.weekdays.length + d.days) * day +
    d.hours * HOUR +
    d.minutes * 60_000 +
    d.seconds * 1000 +
    d.milliseconds
  );
}
