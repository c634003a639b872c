import { FeelDateTime, FeelDuration } from 'feelin';
import { expressionBody, isExpression } from './expression.js';
import {
  evaluateRaw,
  failureMessage,
  isPlainPath,
  type EvaluateOptions,
  type RawEvaluation,
  type Variables,
} from './evaluate.js';
import { parseZonedDateTime } from './datetime.js';
import { MAX_RESULT_SIZE, resultType, toJson, type Json, type ResultType } from './values.js';
import { withWarnings, type FeelWarning } from './warnings.js';

/**
 * Evaluation of attribute values for each use in a model, with Zeebe's type rules and incident messages
 * (ExpressionProcessor): an attribute is either static text or `=FEEL`; the result must have the type the use
 * needs, else the caller raises an incident with `message`.
 */
export type Typed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Options of every typed use; `evaluate` replaces the evaluation of the FEEL text (e.g. variables bound lazily). */
export interface TypedOptions extends EvaluateOptions {
  evaluate?: (body: string) => RawEvaluation;
}

interface Evaluated {
  body: string;
  value: unknown;
  warnings: FeelWarning[];
}

function attribute(attr: string, variables: Variables, options?: TypedOptions): Typed<Evaluated> {
  if (!isExpression(attr)) return { ok: true, value: { body: attr, value: attr, warnings: [] } };
  const body = expressionBody(attr);
  const result = options?.evaluate ? options.evaluate(body) : evaluateRaw(body, variables, options);
  return result.ok ? { ok: true, value: { body, value: result.value, warnings: result.warnings } } : result;
}

function mismatch(e: Evaluated, expected: ResultType | ResultType[]): { ok: false; message: string } {
  const wanted = Array.isArray(expected) ? `one of '[${expected.join(', ')}]'` : `'${expected}'`;
  return {
    ok: false,
    message: withWarnings(
      `Expected result of the expression '${e.body}' to be ${wanted}, but was '${resultType(e.value)}'.`,
      e.warnings,
    ),
  };
}

function failure(e: Evaluated, message: string): { ok: false; message: string } {
  return { ok: false, message: withWarnings(message, e.warnings) };
}

/**
 * The result as JSON, bounded in size (values.ts): a larger result is a failure, as Zeebe refuses the record. A
 * plain variable or path is stored JSON already and is not capped.
 */
function json(e: Evaluated): Typed<Json> {
  try {
    return { ok: true, value: toJson(e.value, isPlainPath(e.body) ? Infinity : MAX_RESULT_SIZE) };
  } catch (error) {
    return { ok: false, message: failureMessage(e.body, error) };
  }
}

/**
 * Text results name jobs, messages, elements, assignees…: they are stored in text columns, which cannot hold
 * NUL (a value taken from a variable may contain one). Such a result is an incident, not a database error.
 */
function text(e: Evaluated, value: string): Typed<string> {
  return value.includes('\u0000')
    ? failure(e, `The result of the expression '${e.body}' contains a NUL character, which cannot be stored.`)
    : { ok: true, value };
}

/** Sequence-flow conditions and completion conditions: the result must be a boolean (null is an incident). */
export function evaluateCondition(attr: string, variables: Variables, options?: TypedOptions): Typed<boolean> {
  const r = attribute(attr, variables, options);
  if (!r.ok) return r;
  return typeof r.value.value === 'boolean' ? { ok: true, value: r.value.value } : mismatch(r.value, 'BOOLEAN');
}

/** Job type, message name, called element id, form id, assignee: static text or an expression yielding a string. */
export function evaluateString(attr: string, variables: Variables, options?: TypedOptions): Typed<string> {
  const r = attribute(attr, variables, options);
  if (!r.ok) return r;
  return typeof r.value.value === 'string' ? text(r.value, r.value.value) : mismatch(r.value, 'STRING');
}

/** Job retries (and other integer attributes): static digits or an expression yielding a whole number. */
export function evaluateInteger(attr: string, variables: Variables, options?: TypedOptions): Typed<number> {
  if (!isExpression(attr)) {
    const text = attr.trim();
    return /^[+-]?\d+$/.test(text)
      ? { ok: true, value: Number.parseInt(text, 10) }
      : { ok: false, message: `Expected an integer, but was '${attr}'.` };
  }
  const r = attribute(attr, variables, options);
  if (!r.ok) return r;
  const value = r.value.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return mismatch(r.value, 'NUMBER');
  if (!Number.isInteger(value)) {
    return failure(r.value, `Expected result of the expression '${r.value.body}' to be an integer, but was a decimal.`);
  }
  return { ok: true, value };
}

/** Message correlation keys: a string, or a number converted to its integer text (Zeebe uses longValue()). */
export function evaluateCorrelationKey(attr: string, variables: Variables, options?: TypedOptions): Typed<string> {
  const r = attribute(attr, variables, options);
  if (!r.ok) return r;
  const value = r.value.value;
  if (typeof value === 'string') return text(r.value, value);
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: Math.trunc(value).toString() };
  return failure(
    r.value,
    `Failed to extract the correlation key for '${r.value.body}': The value must be either a string or a number, but was '${resultType(value)}'.`,
  );
}

/** Multi-instance input collection: must be a list; items are returned as JSON. */
export function evaluateList(attr: string, variables: Variables, options?: TypedOptions): Typed<Json[]> {
  const r = attribute(attr, variables, options);
  if (!r.ok) return r;
  return Array.isArray(r.value.value) ? (json(r.value) as Typed<Json[]>) : mismatch(r.value, 'ARRAY');
}

/**
 * Candidate groups and users. Static text is a comma-separated list (as in the modeler); an expression must
 * yield a list of strings. Deliberately lenient: an expression yielding one string is split at commas too.
 */
export function evaluateStringList(attr: string, variables: Variables, options?: TypedOptions): Typed<string[]> {
  const split = (text: string) =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (!isExpression(attr)) return { ok: true, value: split(attr) };
  const r = attribute(attr, variables, options);
  if (!r.ok) return r;
  const value = r.value.value;
  if (typeof value === 'string') {
    const checked = text(r.value, value);
    return checked.ok ? { ok: true, value: split(checked.value) } : checked;
  }
  if (!Array.isArray(value)) return mismatch(r.value, 'ARRAY');
  if (!value.every((item) => typeof item === 'string')) {
    return failure(
      r.value,
      `Expected result of the expression '${r.value.body}' to be 'ARRAY' containing 'STRING' items, but was 'ARRAY' containing at least one non-'STRING' item.`,
    );
  }
  const nul = (value as string[]).find((item) => item.includes('\u0000'));
  return nul === undefined ? { ok: true, value: value as string[] } : (text(r.value, nul) as Typed<never>);
}

/**
 * Due date, follow-up date, timer dates: a zoned date-time, or a string in ISO 8601 with offset or zone. With
 * `nullable` (user-task dates), null and '' mean "no date".
 */
export function evaluateDateTime(
  attr: string,
  variables: Variables,
  options: TypedOptions & { nullable?: boolean } = {},
): Typed<Date | null> {
  const r = attribute(attr, variables, options);
  if (!r.ok) return r;
  const value = r.value.value;
  if (options.nullable && (value === null || value === '')) return { ok: true, value: null };
  if (value instanceof FeelDateTime && value.zone) {
    return { ok: true, value: new Date(value.unwrap().toZonedDateTime(value.zone).epochMilliseconds) };
  }
  if (typeof value === 'string') {
    const date = parseZonedDateTime(value);
    return date
      ? { ok: true, value: date }
      : failure(r.value, `Invalid date-time format '${value}' for expression '${r.value.body}'.`);
  }
  return mismatch(r.value, options.nullable ? ['NULL', 'DATE_TIME', 'STRING'] : ['DATE_TIME', 'STRING']);
}

/** Timer durations: a FEEL duration or period, or an ISO 8601 duration string; returned as ISO text. */
export function evaluateInterval(attr: string, variables: Variables, options?: TypedOptions): Typed<string> {
  const r = attribute(attr, variables, options);
  if (!r.ok) return r;
  const value = r.value.value;
  if (value instanceof FeelDuration) return { ok: true, value: value.iso };
  if (typeof value === 'string') return { ok: true, value };
  return mismatch(r.value, ['DURATION', 'PERIOD', 'STRING']);
}

/** Any value (script task result, output element): the JSON form of the result. */
export function evaluateAny(attr: string, variables: Variables, options?: TypedOptions): Typed<Json> {
  const r = attribute(attr, variables, options);
  return r.ok ? json(r.value) : r;
}
