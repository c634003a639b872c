import { Temporal } from 'temporal-polyfill';

/**
 * Parses a zoned ISO 8601 date-time as Java's ZonedDateTime.parse accepts it: `2026-01-01T10:00:00Z`,
 * `…+01:00`, `…+01:00[Europe/Berlin]`; also FEEL's `…@Europe/Berlin`. A date-time without zone or offset is
 * rejected, as in Zeebe. Returns null when the text is not such a date-time.
 */
export function parseZonedDateTime(text: string): Date | null {
  const value = text.trim();
  try {
    const feelZone = /^(.*)@([A-Za-z_]+(?:\/[A-Za-z_+-]+)*)$/.exec(value);
    if (feelZone) {
      return new Date(Temporal.PlainDateTime.from(feelZone[1]).toZonedDateTime(feelZone[2]).epochMilliseconds);
    }
    if (value.includes('[')) return new Date(Temporal.ZonedDateTime.from(value).epochMilliseconds);
    if (!/T.*(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value)) return null;
    return new Date(Temporal.Instant.from(value).epochMilliseconds);
  } catch {
    return null;
  }
}
