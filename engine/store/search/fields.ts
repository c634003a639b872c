import { SearchRequestError } from './request-error.js';

/** A fragment of trusted SQL with `?` placeholders and its bindings (knex whereRaw form). */
export interface Sql {
  sql: string;
  bindings: unknown[];
}

export type FieldKind = 'string' | 'key' | 'int' | 'datetime' | 'enum' | 'boolean';

export interface FilterField {
  kind: FieldKind;
  /** Trusted SQL expression the field filters on. */
  column: string;
  /** Camunda's schema accepts only the plain value for this field, no operator object. */
  plainOnly?: boolean;
  /** kind 'enum': the API's values, each mapped to the stored values it stands for. */
  values?: Record<string, readonly string[]>;
  /** The column is a text[]; the filter matches when any element matches (candidate groups, users). */
  array?: boolean;
  /** Whole-field override (variable filters, computed booleans); gets the raw filter value. */
  compile?: (value: unknown, path: string) => Sql;
}

export interface SortField {
  kind: FieldKind;
  /** Trusted SQL expression to order by. */
  column: string;
  /** NULLs possible: ordered last in both directions, as Camunda's secondary storage does. */
  nullable?: boolean;
}

/** Operators each kind takes, exactly as the 8.8 client's zod filter schemas define them. */
export const OPERATORS: Record<FieldKind, readonly string[]> = {
  string: ['$eq', '$neq', '$exists', '$in', '$notIn', '$like'],
  key: ['$eq', '$neq', '$exists', '$in', '$notIn'],
  int: ['$eq', '$neq', '$exists', '$gt', '$gte', '$lt', '$lte', '$in'],
  datetime: ['$eq', '$neq', '$exists', '$gt', '$gte', '$lt', '$lte', '$in'],
  enum: ['$eq', '$neq', '$exists', '$in', '$like'],
  boolean: [],
};

/** PostgreSQL type a cursor value is cast to when compared with a sort column. */
export const SQL_TYPE: Record<FieldKind, string> = {
  string: 'text',
  key: 'bigint',
  int: 'int',
  datetime: 'timestamptz',
  enum: 'text',
  boolean: 'boolean',
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** ISO 8601 with a zone, and a real calendar date (PostgreSQL would refuse 2026-02-30). */
function isDateTime(v: string): boolean {
  const m = ISO_DATE_TIME.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[7] ?? '0'].map(Number);
  return (
    mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() && h < 24 && mi < 60 && sec < 60
  );
}

/** Validates one scalar of a field's kind and returns it in the form bound into SQL. */
export function scalar(field: FilterField, value: unknown, path: string): unknown {
  switch (field.kind) {
    case 'string':
      // NUL characters were refused with the whole request body (request-error.ts refuseNul).
      if (typeof value !== 'string') throw new SearchRequestError(path, 'expected a string');
      return value;
    case 'key': {
      const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
      if (typeof text !== 'string' || !/^-?\d{1,19}$/.test(text))
        throw new SearchRequestError(path, 'expected a key (a string of digits)');
      const n = BigInt(text);
      if (n < INT64_MIN || n > INT64_MAX) throw new SearchRequestError(path, 'key out of the int64 range');
      return text;
    }
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -2147483648 || value > 2147483647)
        throw new SearchRequestError(path, 'expected an integer');
      return value;
    case 'datetime':
      if (typeof value !== 'string' || !isDateTime(value))
        throw new SearchRequestError(path, 'expected an ISO 8601 date-time such as 2025-01-31T08:00:00Z');
      return value;
    case 'enum':
      if (typeof value !== 'string' || !field.values || !(value in field.values))
        throw new SearchRequestError(path, `expected one of ${Object.keys(field.values ?? {}).join(', ')}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw new SearchRequestError(path, 'expected true or false');
      return value;
  }
}

/**
 * A PostgreSQL array literal bound as ONE parameter (`= ANY(?::text[])`): knex would otherwise
 * expand a JS array binding into a list of placeholders.
 */
export function pgArray(values: readonly unknown[]): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
