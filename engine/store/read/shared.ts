import type { FilterField, Sql } from '../search/fields.js';
import { and, compileField } from '../search/filter.js';
import { isPlainObject, SearchRequestError } from '../search/request-error.js';

/** ISO 8601 with milliseconds and `Z`, as Camunda prints dates; absent stays absent. */
export function iso(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return (v instanceof Date ? v : new Date(String(v))).toISOString();
}

/** NULL columns become absent properties: Camunda omits them, and the client's schemas refuse null. */
export function opt<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}

/** Each API value of an enum standing for the same stored value. */
export function identity(...values: string[]): Record<string, readonly string[]> {
  return Object.fromEntries(values.map((v) => [v, [v]]));
}

/** Camunda's variable value filters compare against the value's JSON text. */
const variableValue: FilterField = { kind: 'string', column: 'v.value' };

/**
 * `[{ name, value }]` filters (process-instance and local variables): every entry must match a
 * variable of that name in the scope given by `scopeColumn` (served by the (scope_key, name) index).
 */
export function variablesFilter(scopeColumn: string): FilterField {
  return {
    kind: 'string',
    column: scopeColumn,
    compile(value: unknown, path: string): Sql {
      if (!Array.isArray(value)) throw new SearchRequestError(path, 'expected an array of { name, value }');
      return and(
        value.map((entry, i) => {
          const at = `${path}[${i}]`;
          if (!isPlainObject(entry)) throw new SearchRequestError(at, 'expected { name, value }');
          for (const k of Object.keys(entry))
            if (k !== 'name' && k !== 'value') throw new SearchRequestError(`${at}.${k}`, 'unknown property');
          if (typeof entry.name !== 'string') throw new SearchRequestError(`${at}.name`, 'expected a string');
          if (entry.value === undefined) throw new SearchRequestError(`${at}.value`, 'required');
          const cond = and(compileField(variableValue, entry.value, `${at}.value`));
          return {
            sql: `EXISTS (SELECT 1 FROM engine.variable v WHERE v.scope_key = ${scopeColumn} AND v.name = ? AND ${cond.sql})`,
            bindings: [entry.name, ...cond.bindings],
          };
        }),
      );
    },
  };
}

/** A form row as Camunda's FormResult (the schema travels as a JSON object). */
export function formResult(row: Record<string, unknown>) {
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(row.schema as string);
  } catch {
    schema = {};
  }
  return {
    tenantId: row.tenant_id as string,
    formId: row.form_id as string,
    schema,
    version: row.version as number,
    formKey: row.key as string,
  };
}

/** Validates a key from a URL path (400 naming the parameter, as Camunda does). */
export function pathKey(value: string | undefined, name: string): string {
  if (typeof value !== 'string' || !/^-?\d{1,19}$/.test(value))
    throw new SearchRequestError(name, 'expected a key (a string of digits)');
  try {
    const n = BigInt(value);
    if (n < -(2n ** 63n) || n > 2n ** 63n - 1n) throw new Error();
  } catch {
    throw new SearchRequestError(name, 'key out of the int64 range');
  }
  return value;
}
