import { unaryTest, SyntaxError as FeelSyntaxError } from 'feelin';
import { expressionBody } from './expression.js';
import { extensionFunctions } from './extensions.js';
import { runWithBudget } from './budget.js';
import { DEFAULT_TIMEOUT_MS, failureMessage, type EvaluateOptions, type Variables } from './evaluate.js';

export type UnaryTestResult = { ok: true; value: boolean } | { ok: false; message: string };

/**
 * A FEEL unary test (a DMN input entry: `>= 10`, `"a","b"`, `[1..5]`, `not(1)`, `-`, `? > x`) against an input
 * value, with the variables in scope. An empty entry matches anything, as in Camunda's DMN engine. A test that
 * yields null (incomparable values) does not match. Never throws.
 */
export function evaluateUnaryTest(
  test: string,
  input: unknown,
  variables: Variables,
  options: EvaluateOptions = {},
): UnaryTestResult {
  const body = expressionBody(test).trim();
  if (body === '' || body === '-') return { ok: true, value: true };
  try {
    return runWithBudget(() => {
      const context: Record<string, unknown> = { ...extensionFunctions(options.now, body) };
      for (const name in variables) if (body.includes(name)) context[name] = variables[name];
      context['?'] = input;
      context.cellInput = input;
      const result = unaryTest(body, context);
      return { ok: true as const, value: result.value === true };
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  } catch (error) {
    return { ok: false, message: failureMessage(body, error) };
  }
}

/**
 * Deployment-time check of a unary test (a DMN input entry): null when it parses (empty and `-` do), else the
 * message. Parsing is done by evaluating against a null input: only a syntax error counts.
 */
export function checkUnaryTestSyntax(test: string, options: { timeoutMs?: number } = {}): string | null {
  const body = expressionBody(test).trim();
  if (body === '' || body === '-') return null;
  try {
    runWithBudget(() => unaryTest(body, { '?': null }), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return null;
  } catch (error) {
    return error instanceof FeelSyntaxError ? failureMessage(body, error) : null;
  }
}
