import { evaluateExpression } from './index.js';

/**
 * Table-driven checks for the conformance-*.test.ts files: each row is a FEEL expression and the JSON result the
 * Camunda 8.8 FEEL reference gives for it (FEEL values as Zeebe stores them: `date("2020-04-07")` as
 * "2020-04-07", durations as ISO text). The clock is pinned for `now()` / `today()`.
 */
export const CLOCK = new Date('2026-03-15T10:30:00Z');

export type Row = [expression: string, expected: unknown];

export function feel(expression: string, variables: Record<string, unknown> = {}): unknown {
  const r = evaluateExpression(expression, variables, { now: CLOCK });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

export function conformance(title: string, rows: Row[], variables: Record<string, unknown> = {}): void {
  describe(title, () => {
    test.each(rows)('%s → %j', (expression, expected) => expect(feel(expression, variables)).toEqual(expected));
  });
}
