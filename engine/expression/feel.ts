import {
  checkSyntax,
  evaluateExpression,
  evaluateInputMappings,
  evaluateOutputMappings,
  type Mapping,
} from '../feel/index.js';

/**
 * The core's door to FEEL: engine/feel/ (Zeebe's null-friendly rules, the time budget every evaluation runs
 * under, linear-time regular expressions, clock, Camunda extension functions). Failures (syntax, assert,
 * budget, result too large, unsupported pattern) throw FeelError; the caller turns them into incidents.
 */
export class FeelError extends Error {}

/** Returns a syntax error message, or null when the expression parses. */
export function feelSyntaxError(expression: string): string | null {
  return checkSyntax(expression);
}

export interface FeelResult {
  value: unknown;
  warnings: string[];
}

/** Evaluates a FEEL expression (without the leading '='); results are JSON (temporal values as ISO text). */
export function evaluateFeel(expression: string, context: Record<string, unknown>, now?: Date): FeelResult {
  const r = evaluateExpression(expression, context, { now });
  if (!r.ok) throw new FeelError(r.message);
  return { value: r.value, warnings: r.warnings.map((w) => `[${w.type}] ${w.message}`) };
}

export type { Mapping };

export function inputMappings(
  mappings: Mapping[],
  variables: Record<string, unknown>,
  now: Date,
): Record<string, unknown> {
  const r = evaluateInputMappings(mappings, variables, { now });
  if (!r.ok) throw new FeelError(r.message);
  return r.value;
}

export function outputMappings(
  mappings: Mapping[],
  variables: Record<string, unknown>,
  existing: (name: string) => unknown,
  now: Date,
): Record<string, unknown> {
  const r = evaluateOutputMappings(mappings, variables, { now, existing });
  if (!r.ok) throw new FeelError(r.message);
  return r.value;
}
