import { evaluate, isRange, type FeelRange } from 'feelin';

/**
 * The DMN range functions feelin leaves unimplemented (it throws "not implemented", which ends as null):
 * `overlaps before`, `overlaps after`, `finishes`, `finished by`, `during`, `starts`, `started by`, `coincides`,
 * each for points and ranges as the DMN specification defines them (Camunda 8.8 docs, FEEL › Range functions:
 * `finishes(5, [1..5])` is true, `during([4..6], [1..10])` is true). Bounds are compared with feelin's own
 * operators, so numbers, strings, dates, times, date-times and durations all work; an open bound or values that
 * do not compare give null.
 */
type Range = FeelRange;

/** -1, 0 or 1; null when the values do not compare (different types, a missing bound). */
function cmp(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  const r = evaluate('if a < b then -1 else if a > b then 1 else if a = b then 0 else null', { a, b }).value;
  return typeof r === 'number' ? r : null;
}

const startIn = (r: Range) => r['start included'];
const endIn = (r: Range) => r['end included'];

/** Combines comparisons; any null (incomparable) makes the result null. */
function all(...parts: (boolean | null)[]): boolean | null {
  if (parts.includes(false)) return false;
  return parts.includes(null) ? null : true;
}
function any(...parts: (boolean | null)[]): boolean | null {
  if (parts.includes(true)) return true;
  return parts.includes(null) ? null : false;
}
const eq = (c: number | null) => (c === null ? null : c === 0);
const lt = (c: number | null) => (c === null ? null : c < 0);
const gt = (c: number | null) => (c === null ? null : c > 0);

function overlapsBefore(r1: Range, r2: Range): boolean | null {
  const s1s2 = cmp(r1.start, r2.start);
  const e1s2 = cmp(r1.end, r2.start);
  const e1e2 = cmp(r1.end, r2.end);
  return all(
    any(lt(s1s2), all(eq(s1s2), startIn(r1), !startIn(r2))),
    any(gt(e1s2), all(eq(e1s2), endIn(r1), startIn(r2))),
    any(lt(e1e2), all(eq(e1e2), !endIn(r1) || endIn(r2))),
  );
}

function finishesRange(r1: Range, r2: Range): boolean | null {
  const s1s2 = cmp(r1.start, r2.start);
  return all(
    endIn(r1) === endIn(r2),
    eq(cmp(r1.end, r2.end)),
    any(gt(s1s2), all(eq(s1s2), !startIn(r1) || startIn(r2))),
  );
}

function duringRange(r1: Range, r2: Range): boolean | null {
  const s2s1 = cmp(r2.start, r1.start);
  const e2e1 = cmp(r2.end, r1.end);
  return all(
    any(lt(s2s1), all(eq(s2s1), startIn(r2) || !startIn(r1))),
    any(gt(e2e1), all(eq(e2e1), endIn(r2) || !endIn(r1))),
  );
}

function startsRange(r1: Range, r2: Range): boolean | null {
  const e1e2 = cmp(r1.end, r2.end);
  return all(
    eq(cmp(r1.start, r2.start)),
    startIn(r1) === startIn(r2),
    any(lt(e1e2), all(eq(e1e2), !endIn(r1) || endIn(r2))),
  );
}

const bothRanges = (a: unknown, b: unknown): boolean => isRange(a) && isRange(b);

function finishes(a: unknown, b: unknown): boolean | null {
  if (bothRanges(a, b)) return finishesRange(a as Range, b as Range);
  if (isRange(b) && !isRange(a)) return all(endIn(b), eq(cmp(b.end, a)));
  return null;
}

function during(a: unknown, b: unknown): boolean | null {
  if (bothRanges(a, b)) return duringRange(a as Range, b as Range);
  if (!isRange(b) || isRange(a)) return null;
  const sp = cmp(b.start, a);
  const ep = cmp(b.end, a);
  return any(all(lt(sp), gt(ep)), all(eq(sp), startIn(b)), all(eq(ep), endIn(b)));
}

function starts(a: unknown, b: unknown): boolean | null {
  if (bothRanges(a, b)) return startsRange(a as Range, b as Range);
  if (isRange(b) && !isRange(a)) return all(eq(cmp(b.start, a)), startIn(b));
  return null;
}

function coincides(a: unknown, b: unknown): boolean | null {
  if (bothRanges(a, b)) {
    const [r1, r2] = [a as Range, b as Range];
    return all(
      eq(cmp(r1.start, r2.start)),
      startIn(r1) === startIn(r2),
      eq(cmp(r1.end, r2.end)),
      endIn(r1) === endIn(r2),
    );
  }
  if (isRange(a) || isRange(b)) return null;
  return eq(cmp(a, b));
}

const named = <F extends (a: unknown, b: unknown) => unknown>(fn: F, names: [string, string]) =>
  Object.assign(fn, { $args: names });

export const rangeFunctions: Record<string, (...args: never[]) => unknown> = {
  'overlaps before': named(
    (a, b) => (bothRanges(a, b) ? overlapsBefore(a as Range, b as Range) : null),
    ['range1', 'range2'],
  ),
  'overlaps after': named(
    (a, b) => (bothRanges(a, b) ? overlapsBefore(b as Range, a as Range) : null),
    ['range1', 'range2'],
  ),
  finishes: named(finishes, ['a', 'b']),
  'finished by': named((a, b) => finishes(b, a), ['a', 'b']),
  during: named(during, ['a', 'b']),
  starts: named(starts, ['a', 'b']),
  'started by': named((a, b) => starts(b, a), ['a', 'b']),
  coincides: named(coincides, ['a', 'b']),
};
