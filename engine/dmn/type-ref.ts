import { FeelDate, FeelDateTime, FeelDuration, FeelTime, isFunction, isRange } from 'feelin';

/**
 * The check Camunda's DMN engine (dmn-scala) makes of a decision's result against the `typeRef` of the decision's
 * `variable`: a value of another type fails the evaluation with `expected '<type>' but found '<value>'`. Null
 * passes, a `feel:` prefix is ignored, and a type name Camunda does not know (`Any`, item definitions) accepts
 * anything. The `typeRef` of decision table inputs and outputs is not applied at all (no coercion, no check):
 * dmn-scala does not read it. Returns the failure message, or null when the value passes.
 */
export function typeRefFailure(value: unknown, typeRef: string | undefined): string | null {
  if (!typeRef || value === null || value === undefined) return null;
  const type = typeRef.replaceAll('feel:', '');
  const is = CHECKS[type];
  if (!is || is(value)) return null;
  return `expected '${type}' but found '${valText(value)}'`;
}

const CHECKS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  time: (v) => v instanceof FeelTime,
  date: (v) => v instanceof FeelDate,
  dateTime: (v) => v instanceof FeelDateTime,
  dayTimeDuration: (v) => v instanceof FeelDuration && !v.yearsMonths,
  yearMonthDuration: (v) => v instanceof FeelDuration && !!v.yearsMonths,
};

/** A FEEL value written the way dmn-scala's messages show it (its `Val` case classes). */
export function valText(v: unknown): string {
  if (v === null || v === undefined) return 'ValNull';
  if (typeof v === 'string') return `ValString(${v})`;
  if (typeof v === 'number') return `ValNumber(${v})`;
  if (typeof v === 'boolean') return `ValBoolean(${v})`;
  if (Array.isArray(v)) return `ValList(List(${v.map(valText).join(', ')}))`;
  if (v instanceof FeelDate) return `ValDate(${v.iso})`;
  if (v instanceof FeelTime) return `${v.zone ? 'ValTime' : 'ValLocalTime'}(${v.iso})`;
  if (v instanceof FeelDateTime) return `${v.zone ? 'ValDateTime' : 'ValLocalDateTime'}(${v.iso})`;
  if (v instanceof FeelDuration) return `${v.yearsMonths ? 'ValYearMonthDuration' : 'ValDayTimeDuration'}(${v.iso})`;
  if (isFunction(v)) return 'ValFunction';
  if (isRange(v)) return 'ValRange';
  const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k} -> ${valText(x)}`);
  return `ValContext(Map(${entries.join(', ')}))`;
}
