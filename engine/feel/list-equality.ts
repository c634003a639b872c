import { feelEquals } from './equality.js';
import { decimalNumber } from './values.js';

/**
 * The list functions that compare items — `list contains`, `index of`, `distinct values`, `union` — with Zeebe's
 * equality (equality.ts) instead of feelin's, which reads a list of fewer than two items as that item
 * (`list contains([[1], [1,2]], 1)` was true, `distinct values([[1], 1])` dropped the 1) and compares doubles
 * (`list contains([0.3], 0.1 + 0.2)` was false).
 */
const isList = (v: unknown): v is unknown[] => Array.isArray(v);

/** A key for values that equal exactly when their keys do (numbers as decimals), or null for the rest. */
function simpleKey(v: unknown): string | null {
  switch (typeof v) {
    case 'number':
      return `n${decimalNumber(v)}`;
    case 'string':
      return `s${v}`;
    case 'boolean':
      return `b${v}`;
    default:
      return v === null || v === undefined ? 'null' : null;
  }
}

/** Items without repetitions, first occurrence kept; simple values by key, the rest by a scan. */
function distinct(items: unknown[]): unknown[] {
  const keys = new Set<string>();
  const complex: unknown[] = [];
  const out: unknown[] = [];
  for (const item of items) {
    const key = simpleKey(item);
    if (key !== null) {
      if (keys.has(key)) continue;
      keys.add(key);
    } else {
      if (complex.some((c) => feelEquals(c, item) === true)) continue;
      complex.push(item);
    }
    out.push(item);
  }
  return out;
}

export const listEqualityFunctions: Record<string, (...args: never[]) => unknown> = {
  'list contains': Object.assign(
    (list: unknown, element: unknown) => (isList(list) ? list.some((i) => feelEquals(i, element) === true) : null),
    { $args: ['list', 'element'] },
  ),
  'index of': Object.assign(
    (list: unknown, match: unknown) =>
      isList(list) ? list.flatMap((item, i) => (feelEquals(item, match) === true ? [i + 1] : [])) : null,
    { $args: ['list', 'match'] },
  ),
  'distinct values': Object.assign((list: unknown) => (isList(list) ? distinct(list) : null), { $args: ['list'] }),
  union: (...lists: unknown[]) => (lists.every(isList) ? distinct(lists.flat(1)) : null),
};
