import { evaluate, SyntaxError as FeelSyntaxError } from 'feelin';
import { expressionBody } from './expression.js';
import { KEYWORDS } from './keywords.js';
import { AssertionFailure, extensionFunctions } from './extensions.js';
import { BudgetExceeded, runWithBudget } from './budget.js';
import { toJson, type Json } from './values.js';
import { printable, zeebeWarnings, type FeelWarning } from './warnings.js';
import { installZeebeComparisons } from './comparisons.js';
import { equalityFunctions, withZeebeEquality } from './equality.js';
import { scaleFunction, withDurationArithmetic } from './duration-arithmetic.js';
import { withZeebeStringEscapes } from './string-escapes.js';
import { isTrueFunction, withBooleanConditions } from './if-condition.js';

installZeebeComparisons();

export interface EvaluateOptions {
  /** The engine clock; `now()` and `today()` read it. Without it they read the system clock. */
  now?: Date;
  /** Time budget of one evaluation in ms (see budget.ts); default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 1000;

export type Variables = Readonly<Record<string, unknown>>;

export type RawEvaluation = { ok: true; value: unknown; warnings: FeelWarning[] } | { ok: false; message: string };
export type Evaluation = { ok: true; value: Json; warnings: FeelWarning[] } | { ok: false; message: string };

/**
 * Evaluates FEEL text (a leading '=' is optional) and returns the FEEL value itself (durations, date-times,
 * contexts). Never throws. Following Zeebe (FEEL is null-friendly since 8.3), a missing variable, an unknown
 * function or a type error yields null plus warnings, not a failure; callers that need a value of some type
 * check it (see typed.ts). Failures are: syntax errors, `assert()`, recursion too deep, budget exceeded, a
 * pattern only a backtracking engine runs.
 */
export function evaluateRaw(expression: string, variables: Variables, options: EvaluateOptions = {}): RawEvaluation {
  return evaluateWith(expression, variables, options, asIs, asIs);
}

const asIs = (value: unknown): unknown => value;

/** Evaluates FEEL text and converts the result to JSON, ready to be stored as a variable. */
export function evaluateExpression(
  expression: string,
  variables: Variables,
  options: EvaluateOptions = {},
): Evaluation {
  // A variable found by the fast path is stored JSON already: converted without the size cap.
  return evaluateWith(expression, variables, options, toJson, (value) => toJson(value, Infinity));
}

/**
 * A plain variable or path is looked up directly; anything else — the rewrites, feelin's parse and evaluation,
 * and `finish` (the conversion to JSON, which can be as large as the result) — runs under the time budget.
 */
function evaluateWith<T>(
  expression: string,
  variables: Variables,
  options: EvaluateOptions,
  finish: (value: unknown) => T,
  finishFound: (value: unknown) => T,
): { ok: true; value: T; warnings: FeelWarning[] } | { ok: false; message: string } {
  const body = expressionBody(expression);
  const fast = lookupPath(body, variables);
  if (fast !== undefined) return { ok: true, value: finishFound(fast), warnings: [] };
  try {
    return runWithBudget(() => {
      const result = evaluateBody(body, variables, options.now);
      return { ok: true as const, value: finish(result.value ?? null), warnings: zeebeWarnings(result.warnings) };
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (error) {
    return { ok: false, message: failureMessage(body, error) };
  }
}

function evaluateBody(text: string, variables: Variables, now: Date | undefined) {
  const body = withZeebeStringEscapes(text);
  const context: Record<string, unknown> = { ...extensionFunctions(now, body), ...referenced(body, variables) };
  const conditionBody = withBooleanConditions(body, context);
  if (conditionBody) Object.assign(context, isTrueFunction);
  const equalityBody = withZeebeEquality(conditionBody ?? body, context);
  if (equalityBody) Object.assign(context, equalityFunctions);
  const scaledBody = withDurationArithmetic(equalityBody ?? conditionBody ?? body, context);
  if (scaledBody) Object.assign(context, scaleFunction);
  return evaluate(scaledBody ?? equalityBody ?? conditionBody ?? body, context);
}

/**
 * Only the variables whose names occur in the text: feelin's parser indexes every context key (prefixes,
 * normalised names) on each call, so passing a large scope costs far more than the evaluation. A name that does
 * not occur in the text cannot be referenced, so the filter never changes a result.
 */
function referenced(body: string, variables: Variables): Record<string, unknown> {
  const used: Record<string, unknown> = {};
  for (const name in variables) if (body.includes(name)) used[name] = variables[name];
  return used;
}

/** The failure message in Zeebe's form; the text is printable (a NUL in a value would not reach the database). */
export function failureMessage(body: string, error: unknown): string {
  return printable(
    `failed to ${error instanceof FeelSyntaxError ? 'parse' : 'evaluate'} expression '${body}': ${reason(error)}`,
  );
}

function reason(error: unknown): string {
  if (error instanceof FeelSyntaxError || error instanceof AssertionFailure || error instanceof BudgetExceeded) {
    return error.message;
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return 'the evaluation exceeded the maximum recursion depth';
  }
  return error instanceof Error ? error.message : String(error);
}

const PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** A variable or a path into objects (`orderId`, `order.customer.id`): what the fast path may answer. */
export function isPlainPath(body: string): boolean {
  return body.length <= 200 && PATH.test(body);
}

/**
 * Fast path for the most common expression, a variable or a path into plain objects (`=orderId`,
 * `=order.customer.id`): feelin's parser costs ~60 µs even for these. Returns undefined whenever the answer is
 * not a plain hit (missing entry, list in between, keyword), so feelin decides and produces the warnings.
 */
function lookupPath(body: string, variables: Variables): unknown {
  if (!isPlainPath(body)) return undefined;
  let current: unknown = variables;
  for (const segment of body.split('.')) {
    if (KEYWORDS.has(segment)) return undefined;
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current === undefined ? undefined : current;
}
