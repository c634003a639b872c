import { evaluate, SyntaxError as FeelSyntaxError } from 'feelin';
import { expressionBody } from './expression.js';
import { KEYWORDS } from './keywords.js';
import { AssertionFailure, extensionFunctions } from './extensions.js';
import { BudgetExceeded, needsBudget, runWithBudget } from './budget.js';
import { toJson, type Json } from './values.js';
import { zeebeWarnings, type FeelWarning } from './warnings.js';
import { installZeebeComparisons } from './comparisons.js';
import { decimalFunction, withDecimalEquality } from './decimal-equality.js';
import { scaleFunction, withDurationArithmetic } from './duration-arithmetic.js';

installZeebeComparisons();

export interface EvaluateOptions {
  /** The engine clock; `now()` and `today()` read it. Without it they read the system clock. */
  now?: Date;
  /** Budget for expressions that can loop (see budget.ts). */
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
 * check it (see typed.ts). Failures are: syntax errors, `assert()`, recursion too deep, budget exceeded.
 */
export function evaluateRaw(expression: string, variables: Variables, options: EvaluateOptions = {}): RawEvaluation {
  const body = expressionBody(expression);
  const fast = lookupPath(body, variables);
  if (fast !== undefined) return { ok: true, value: fast, warnings: [] };
  const context: Record<string, unknown> = { ...extensionFunctions(options.now, body), ...referenced(body, variables) };
  try {
    const decimalBody = withDecimalEquality(body, context);
    if (decimalBody) Object.assign(context, decimalFunction);
    const scaledBody = withDurationArithmetic(decimalBody ?? body, context);
    if (scaledBody) Object.assign(context, scaleFunction);
    const text = scaledBody ?? decimalBody ?? body;
    const run = () => evaluate(text, context);
    const result = needsBudget(body) ? runWithBudget(run, options.timeoutMs ?? DEFAULT_TIMEOUT_MS) : run();
    return { ok: true, value: result.value ?? null, warnings: zeebeWarnings(result.warnings) };
  } catch (error) {
    return { ok: false, message: failureMessage(body, error) };
  }
}

/** Evaluates FEEL text and converts the result to JSON, ready to be stored as a variable. */
export function evaluateExpression(
  expression: string,
  variables: Variables,
  options: EvaluateOptions = {},
): Evaluation {
  const result = evaluateRaw(expression, variables, options);
  return result.ok ? { ok: true, value: toJson(result.value), warnings: result.warnings } : result;
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

function failureMessage(body: string, error: unknown): string {
  if (error instanceof FeelSyntaxError) return `failed to parse expression '${body}': ${error.message}`;
  if (error instanceof AssertionFailure || error instanceof BudgetExceeded) {
    return `failed to evaluate expression '${body}': ${error.message}`;
  }
  if (error instanceof RangeError) {
    return `failed to evaluate expression '${body}': the evaluation exceeded the maximum recursion depth`;
  }
  return `failed to evaluate expression '${body}': ${error instanceof Error ? error.message : String(error)}`;
}

const PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/**
 * Fast path for the most common expression, a variable or a path into plain objects (`=orderId`,
 * `=order.customer.id`): feelin's parser costs ~60 µs even for these. Returns undefined whenever the answer is
 * not a plain hit (missing entry, list in between, keyword), so feelin decides and produces the warnings.
 */
function lookupPath(body: string, variables: Variables): unknown {
  if (body.length > 200 || !PATH.test(body)) return undefined;
  let current: unknown = variables;
  for (const segment of body.split('.')) {
    if (KEYWORDS.has(segment)) return undefined;
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current === undefined ? undefined : current;
}
