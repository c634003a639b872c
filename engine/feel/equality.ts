import { rewriteBinaryOperations } from './rewrite.js';
import { decimalNumber } from './values.js';
import { withParameterNames } from './extensions.js';

/**
 * `=` and `!=` compare Zeebe's decimals (`0.1 + 0.2 = 0.3` is true in Zeebe). feelin compares doubles and its
 * equality is not reachable from outside, so the operands of each `=`/`!=` comparison are wrapped in a call to
 * DECIMAL, which reads numbers as decimals the way stored results are read (values.ts `decimalNumber`), also
 * inside lists and contexts, and leaves every other value as it is; feelin's equality then decides as before.
 */
export const DECIMAL = '__aquaflow_decimal';

function decimal(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? decimalNumber(value) : value;
  if (Array.isArray(value)) return value.map(decimal);
  if (typeof value === 'object' && value !== null && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decimal(v)]));
  }
  return value;
}

export const decimalFunction = withParameterNames({ [DECIMAL]: decimal });

/** A cheap pre-check: without a bare `=` (not part of `<=`, `>=`) there is nothing to rewrite. */
const MAY_COMPARE = /(^|[^<>])=/;

/**
 * The text with both operands of every `=`/`!=` comparison wrapped, or null when there is none (or the text does
 * not parse: feelin then reports the syntax error on the original text).
 */
export function withDecimalEquality(body: string, context: Record<string, unknown>): string | null {
  if (!MAY_COMPARE.test(body)) return null;
  return rewriteBinaryOperations(body, context, 'Comparison', 'CompareOp', ['=', '!='], (left, _op, right) =>
    // Openings of wider operands first, closings of narrower ones first (nested comparisons).
    [left, right].flatMap((operand) => [
      { from: operand.from, to: operand.from, text: `${DECIMAL}(`, order: 1e9 - (operand.to - operand.from) },
      { from: operand.to, to: operand.to, text: ')', order: -1e9 + (operand.to - operand.from) },
    ]),
  );
}
