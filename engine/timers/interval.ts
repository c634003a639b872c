import { Temporal } from 'temporal-polyfill';

/**
 * ISO 8601 durations as Zeebe reads them (java.time Period + Duration, split at 'T'): `PT5M`, `P1D`, `P2W`,
 * `P1Y2M3DT4H`, `PT0.5S`, a leading sign. Calendar parts (years, months, weeks, days) are added on the calendar
 * of `zone` — UTC for the engine clock, the start's own zone for a cycle with a zoned start — and time parts
 * exactly, so `P1D` across a DST change is one calendar day, as in Java's ZonedDateTime.plus.
 */
export interface Interval {
  text: string;
  duration: Temporal.Duration;
}

export function parseInterval(text: string): Interval | null {
  const value = text.trim();
  if (!/^[+-]?P/i.test(value)) return null;
  try {
    const duration = Temporal.Duration.from(value.startsWith('+') ? value.slice(1) : value);
    return { text: value, duration };
  } catch {
    return null;
  }
}

export function addInterval(from: Date, interval: Interval, zone = 'UTC'): Date {
  const start = Temporal.Instant.fromEpochMilliseconds(from.getTime()).toZonedDateTimeISO(zone);
  return new Date(start.add(interval.duration).epochMilliseconds);
}
