import { evaluate } from 'feelin';
import { rewriteBinaryOperations } from './rewrite.js';
import { decimalNumber } from './values.js';

/**
 * `=` and `!=` as Zeebe's FEEL engine (feel-scala's `ValComparator`) decides them. feelin's equality is not
 * reachable from outside and differs in three ways, so each `a = b` / `a != b` is rewritten into a call of EQUALS /
 * NOT_EQUALS, which decide:
 * - numbers as decimals (`0.1 + 0.2 = 0.3` is true), read as stored results are (values.ts `decimalNumber`);
 * - lists: of different lengths false, else item by item, an item pair that is not equal or not comparable makes
 *   the lists unequal. feelin treats a list of fewer than two items as that item, so `[1,2] != [1]` was null,
 *   `[null] = []` true and `[1] = 1` true (in Zeebe: true, false, null);
 * - contexts: different keys false (`{a:1} = {a:1, b:null}`), else entry by entry like lists;
 * - null equals only null (the null check `x = null`); values of different types are not comparable: null.
 * Temporal values, durations and ranges are handed to feelin's own operator, which compares them as Zeebe does.
 */
export const EQUALS = '__aquaflow_equals';
export const NOT_EQUALS = '__aquaflow_not_equals';

const isContext = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v.constructor === Object || !v.constructor);

const SIMPLE = new Set(['number', 'string', 'boolean']);

export function feelEquals(a: unknown, b: unknown): boolean | null {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y;
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y)) return null;
    return x.length === y.length && x.every((item, i) => feelEquals(item, y[i]) === true);
  }
  if (isContext(x) || isContext(y)) {
    if (!isContext(x) || !isContext(y)) return null;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    return keys.every((k) => Object.prototype.hasOwnProperty.call(y, k) && feelEquals(x[k], y[k]) === true);
  }
  const [tx, ty] = [typeof x, typeof y];
  if (SIMPLE.has(tx) || SIMPLE.has(ty)) {
    if (tx !== ty) return null;
    return tx === 'number' ? decimalNumber(x as number) === decimalNumber(y as number) : x === y;
  }
  const r = evaluate('a = b', { a: x, b: y }).value;
  return typeof r === 'boolean' ? r : null;
}

function notEquals(a: unknown, b: unknown): boolean | null {
  const r = feelEquals(a, b);
  return r === null ? null : !r;
}

export const equalityFunctions = {
  [EQUALS]: Object.assign((a: unknown, b: unknown) => feelEquals(a, b), { $args: ['a', 'b'] }),
  [NOT_EQUALS]: Object.assign((a: unknown, b: unknown) => notEquals(a, b), { $args: ['a', 'b'] }),
};

/** A cheap pre-check: without a bare `=` (not part of `<=`, `>=`) there is nothing to rewrite. */
const MAY_COMPARE = /(^|[^<>])=/;

/**
 * The text with every `=`/`!=` comparison turned into an EQUALS / NOT_EQUALS call, or null when there is none
 * (or the text does not parse: feelin then reports the syntax error on the original text).
 */
export function withZeebeEquality(body: string, context: Record<string, unknown>): string | null {
  if (!MAY_COMPARE.test(body)) return null;
  return rewriteBinaryOperations(
    body,
    context,
    'Comparison',
    'CompareOp',
    ['=', '!='],
    (left, op, right, symbol, parent) => {
      // Openings of wider comparisons first, closings of narrower ones first (nested comparisons).
      const width = right.to - left.from;
      // feelin reads a filter whose expression is a call as an index (`list[f(item)]`), a comparison as a test.
      const close = parent === 'FilterExpression' ? ') = true' : ')';
      return [
        { from: left.from, to: left.from, text: `${symbol === '=' ? EQUALS : NOT_EQUALS}(`, order: 1e9 - width },
        { from: op.from, to: op.to, text: ', ', order: 0 },
        { from: right.to, to: right.to, text: close, order: -1e9 + width },
      ];
    },
  );
}
