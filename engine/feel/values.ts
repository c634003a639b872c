import { isFunction, isRange, FeelDate, FeelDateTime, FeelDuration, FeelTime } from 'feelin';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Zeebe's names for result types, used verbatim in incident messages. */
export type ResultType =
  | 'NULL'
  | 'BOOLEAN'
  | 'NUMBER'
  | 'STRING'
  | 'ARRAY'
  | 'OBJECT'
  | 'DURATION'
  | 'PERIOD'
  | 'DATE_TIME'
  | 'FUNCTION'
  | 'UNKNOWN';

/**
 * Type of a FEEL value as Zeebe reports it. Dates, times and zone-less date-times have no Zeebe result type of
 * their own: they travel as ISO strings, so they count as STRING.
 */
export function resultType(value: unknown): ResultType {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return 'BOOLEAN';
    case 'number':
      return Number.isFinite(value) ? 'NUMBER' : 'NULL';
    case 'string':
      return 'STRING';
    case 'function':
      return 'FUNCTION';
  }
  if (Array.isArray(value)) return 'ARRAY';
  if (value instanceof FeelDuration) return value.yearsMonths ? 'PERIOD' : 'DURATION';
  if (value instanceof FeelDateTime) return value.zone ? 'DATE_TIME' : 'STRING';
  if (value instanceof FeelDate || value instanceof FeelTime) return 'STRING';
  if (isFunction(value)) return 'FUNCTION';
  if (isRange(value)) return 'UNKNOWN';
  return 'OBJECT';
}

/**
 * Zeebe refuses a record larger than its maximum message size (4 MB), and so a variable larger than that; the
 * HTTP API takes no larger body (engine/http/body.ts). A FEEL result's JSON is capped alike, which also keeps the
 * conversion bounded: a result built by doubling shared sub-lists is small in memory but exponential as JSON.
 */
export const MAX_RESULT_SIZE = 4 * 1024 * 1024;

export class ResultTooLarge extends Error {}

/**
 * A FEEL value as JSON, the way Zeebe stores variables: durations and periods become ISO 8601 strings
 * (`PT5M`, `P1Y2M`), dates and times their ISO form, zoned date-times an ISO string with offset (named zones
 * as `…+01:00[Europe/Berlin]`, Java's ISO_ZONED_DATE_TIME), contexts objects. Functions, ranges and
 * non-finite numbers have no JSON form and become null. Throws ResultTooLarge past `maxSize` (counted roughly
 * as characters of JSON text).
 */
export function toJson(value: unknown, maxSize = MAX_RESULT_SIZE): Json {
  return convert(value, { size: maxSize, maxSize });
}

function convert(value: unknown, left: { size: number; maxSize: number }): Json {
  left.size -= typeof value === 'string' ? value.length + 3 : 5;
  if (left.size < 0) throw new ResultTooLarge(`the result is larger than ${left.maxSize} characters as JSON`);
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? decimalNumber(value) : null;
    case 'object':
      break;
    default:
      return null;
  }
  if (Array.isArray(value)) return value.map((item) => convert(item, left));
  if (value instanceof FeelDuration) return value.iso;
  if (value instanceof FeelDateTime) return dateTimeToIso(value);
  if (value instanceof FeelDate || value instanceof FeelTime) return value.iso;
  if (isFunction(value) || isRange(value)) return null;
  const out: { [key: string]: Json } = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    left.size -= key.length + 3;
    out[key] = convert(entry, left);
  }
  return out;
}

/**
 * Zeebe's FEEL computes with decimals (`40 * 1.13` is `45.2`, `0.1 + 0.2` is `0.3`); feelin computes with JS
 * doubles and has no hook for decimal arithmetic. A double whose value rounded to 15 significant digits has at
 * most 12 of them is taken as binary noise around that short decimal (45.199999999999996 → 45.2) and stored as
 * the decimal Zeebe would have produced. Other doubles (10 / 3 → 3.3333333333333335) are already what Zeebe's
 * decimal result becomes in JSON and stay as they are.
 */
export function decimalNumber(value: number): number {
  if (Number.isInteger(value)) return value;
  const rounded = Number(value.toPrecision(15));
  if (rounded === value) return value;
  const digits = rounded.toExponential().replace(/e.*$/, '').replace(/[-.]/g, '').length;
  return digits <= 12 ? rounded : value;
}

function dateTimeToIso(value: FeelDateTime): string {
  if (!value.zone || !value.zone.includes('/')) return value.iso;
  // feelin writes named zones as `…@Europe/Berlin`; JSON consumers expect an offset plus the bracketed zone.
  return value.unwrap().toZonedDateTime(value.zone).toString();
}

/**
 * JSON variables as FEEL input. Zeebe hands JSON values to FEEL unchanged: an ISO date string stays a string
 * (`date(x)` converts explicitly), objects are contexts, arrays lists.
 */
export function fromJson(value: Json | undefined): unknown {
  return value === undefined ? null : value;
}
