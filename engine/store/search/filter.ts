import { OPERATORS, pgArray, scalar, SQL_TYPE, type FilterField, type Sql } from './fields.js';
import { likeMatches, likeToSql } from './like.js';
import { isPlainObject, SearchRequestError } from './request-error.js';

/**
 * Compiles Camunda's `filter` object into SQL conditions (ANDed). Each property is either the plain
 * value (equality) or an operator object (`$eq`, `$in`, `$like`, `$gt`, …; several are ANDed).
 * Anything the field map does not know — a field, an operator, a value of the wrong type — is a
 * SearchRequestError naming it.
 */
export function compileFilter(
  fields: Record<string, FilterField>,
  filter: unknown,
  path = 'filter',
  allowOr = false,
): Sql[] {
  if (filter === undefined || filter === null) return [];
  if (!isPlainObject(filter)) throw new SearchRequestError(path, 'expected an object');
  const out: Sql[] = [];
  for (const [name, value] of Object.entries(filter)) {
    const at = `${path}.${name}`;
    if (name === '$or' && allowOr) {
      out.push(compileOr(fields, value, at));
      continue;
    }
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (!field) throw new SearchRequestError(at, 'unknown filter field');
    if (value === undefined) continue;
    out.push(...compileField(field, value, at));
  }
  return out;
}

function compileOr(fields: Record<string, FilterField>, value: unknown, path: string): Sql {
  if (!Array.isArray(value)) throw new SearchRequestError(path, 'expected an array of filters');
  if (value.length === 0) return { sql: 'true', bindings: [] };
  const branches = value.map((branch, i) => and(compileFilter(fields, branch, `${path}[${i}]`, false)));
  return { sql: `(${branches.map((b) => b.sql).join(' OR ')})`, bindings: branches.flatMap((b) => b.bindings) };
}

/** ANDs conditions into one fragment (`true` when there are none). */
export function and(parts: Sql[]): Sql {
  if (parts.length === 0) return { sql: 'true', bindings: [] };
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), bindings: parts.flatMap((p) => p.bindings) };
}

export function compileField(field: FilterField, value: unknown, path: string): Sql[] {
  if (field.compile) return [field.compile(value, path)];
  // A few of Camunda's filters (a job's deadline) take null for "absent".
  if (value === null && field.kind !== 'boolean') return [operator(field, '$exists', false, path)];
  if (!isPlainObject(value)) return [operator(field, '$eq', value, path)];
  if (field.plainOnly || field.kind === 'boolean')
    throw new SearchRequestError(path, `expected a plain ${field.kind} value, this field takes no operators`);
  const allowed = OPERATORS[field.kind];
  const out: Sql[] = [];
  for (const [op, operand] of Object.entries(value)) {
    const at = `${path}.${op}`;
    if (!allowed.includes(op))
      throw new SearchRequestError(at, `unknown operator for this field; allowed: ${allowed.join(', ')}`);
    if (operand === undefined) continue;
    out.push(operator(field, op, operand, at));
  }
  return out;
}

function list(field: FilterField, operand: unknown, path: string): unknown[] {
  if (!Array.isArray(operand)) throw new SearchRequestError(path, 'expected an array');
  return operand.map((v, i) => scalar(field, v, `${path}[${i}]`));
}

function operator(field: FilterField, op: string, operand: unknown, path: string): Sql {
  if (op === '$exists') {
    if (typeof operand !== 'boolean') throw new SearchRequestError(path, 'expected true or false');
    if (field.array) return { sql: `cardinality(${field.column}) ${operand ? '>' : '='} 0`, bindings: [] };
    return { sql: `${field.column} IS ${operand ? 'NOT ' : ''}NULL`, bindings: [] };
  }
  if (op === '$like') {
    if (typeof operand !== 'string') throw new SearchRequestError(path, 'expected a string pattern');
    if (field.kind === 'enum')
      return anyOf(
        field,
        Object.keys(field.values ?? {}).filter((v) => likeMatches(operand, v)),
        false,
      );
    if (field.array)
      return {
        sql: `EXISTS (SELECT 1 FROM unnest(${field.column}) AS e(v) WHERE e.v LIKE ? ESCAPE '\\')`,
        bindings: [likeToSql(operand)],
      };
    return { sql: `${field.column} LIKE ? ESCAPE '\\'`, bindings: [likeToSql(operand)] };
  }
  if (op === '$in' || op === '$notIn') return anyOf(field, list(field, operand, path), op === '$notIn');
  const v = scalar(field, operand, path);
  if (op === '$eq') return anyOf(field, [v], false);
  if (op === '$neq') return anyOf(field, [v], true);
  const cmp = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[op];
  if (!cmp) throw new SearchRequestError(path, 'unknown operator');
  return { sql: `${field.column} ${cmp} ?`, bindings: [v] };
}

/**
 * Membership in a set of values (equality is the one-element case). Negations include rows where
 * the property is absent, as Camunda's `$neq`/`$notIn` do.
 */
function anyOf(field: FilterField, values: unknown[], negate: boolean): Sql {
  if (field.kind === 'boolean')
    return { sql: `${field.column} IS ${negate ? 'DISTINCT' : 'NOT DISTINCT'} FROM ?`, bindings: [values[0]] };
  const stored =
    field.kind === 'enum' ? [...new Set(values.flatMap((v) => field.values?.[v as string] ?? []))] : values;
  if (field.array) {
    // `&&` (overlap) is what the GIN index on the array column serves.
    const sql = `${field.column} && ?::text[]`;
    return { sql: negate ? `NOT (${sql})` : sql, bindings: [pgArray(stored)] };
  }
  if (stored.length === 1) {
    return negate
      ? { sql: `${field.column} IS DISTINCT FROM ?`, bindings: stored }
      : { sql: `${field.column} = ?`, bindings: stored };
  }
  const set = `?::${SQL_TYPE[field.kind]}[]`;
  return negate
    ? { sql: `(${field.column} IS NULL OR NOT (${field.column} = ANY(${set})))`, bindings: [pgArray(stored)] }
    : { sql: `${field.column} = ANY(${set})`, bindings: [pgArray(stored)] };
}
