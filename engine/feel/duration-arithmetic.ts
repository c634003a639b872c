import { evaluate, FeelDuration } from 'feelin';
import { rewriteBinaryOperations } from './rewrite.js';
import { withParameterNames } from './extensions.js';

/**
 * FEEL multiplies and divides durations by numbers (`duration("PT10M") * attempts`, `duration("P1Y") * 2`,
 * `duration("PT1H") / 4`: Camunda 8.8 docs, FEEL › Temporal expressions); feelin answers null. Its arithmetic is
 * not reachable from outside, so in texts that mention a duration each `a * b` / `a / b` becomes a call to SCALE,
 * which scales a duration and hands every other pair back to feelin's own operator.
 */
export const SCALE = '__aquaflow_scale';

interface DurationFields {
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  milliseconds: number;
  microseconds: number;
  nanoseconds: number;
  constructor: { from(fields: object): unknown };
}

function scaled(d: FeelDuration, factor: number): FeelDuration | null {
  if (!Number.isFinite(factor)) return null;
  const v = d.unwrap() as unknown as DurationFields;
  if (d.yearsMonths) {
    const months = Math.trunc((v.years * 12 + v.months) * factor);
    return new FeelDuration(v.constructor.from({ months }) as never, true);
  }
  const seconds = ((v.days * 24 + v.hours) * 60 + v.minutes) * 60 + v.seconds;
  const ms = seconds * 1000 + v.milliseconds + v.microseconds / 1e3 + v.nanoseconds / 1e6;
  return new FeelDuration(v.constructor.from({ milliseconds: Math.round(ms * factor) }) as never, false);
}

function scale(a: unknown, op: unknown, b: unknown): unknown {
  if (op === '*' && a instanceof FeelDuration && typeof b === 'number') return scaled(a, b);
  if (op === '*' && typeof a === 'number' && b instanceof FeelDuration) return scaled(b, a);
  if (op === '/' && a instanceof FeelDuration && typeof b === 'number') return b === 0 ? null : scaled(a, 1 / b);
  return evaluate(`a ${op === '/' ? '/' : '*'} b`, { a, b }).value ?? null;
}

export const scaleFunction = withParameterNames({ [SCALE]: (a: unknown, op: unknown, b: unknown) => scale(a, op, b) });

/** The text with every `*` and `/` turned into SCALE calls, or null when it mentions no duration or has none. */
export function withDurationArithmetic(body: string, context: Record<string, unknown>): string | null {
  if (!body.includes('duration') || !/[*/]/.test(body)) return null;
  return rewriteBinaryOperations(
    body,
    context,
    'ArithmeticExpression',
    'ArithOp',
    ['*', '/'],
    (left, op, right, symbol) => {
      const width = right.to - left.from;
      return [
        { from: left.from, to: left.from, text: `${SCALE}(`, order: 1e9 - width },
        { from: op.from, to: op.to, text: `, "${symbol}", `, order: 0 },
        { from: right.to, to: right.to, text: ')', order: -1e9 + width },
      ];
    },
  );
}
