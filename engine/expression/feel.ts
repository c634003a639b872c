import { evaluate, parseExpression } from 'feelin';

/**
 * Tiny FEEL wrapper for the core. The events helper's engine/feel/ module (durations, dates, clock)
 * replaces these two functions; callers only depend on this signature.
 */
export class FeelError extends Error {}

/** Returns a syntax error message, or null when the expression parses. */
export function feelSyntaxError(expression: string): string | null {
  try {
    const tree = parseExpression(expression, {}, undefined);
    let error: number | null = null;
    tree.iterate({
      enter(node) {
        if (error === null && node.type.isError) error = node.from;
      },
    });
    return error === null ? null : `failed to parse expression '${expression}' at position ${error}`;
  } catch (e) {
    return `failed to parse expression '${expression}': ${(e as Error).message}`;
  }
}

export interface FeelResult {
  value: unknown;
  warnings: string[];
}

/** Evaluates a FEEL expression (without the leading '='); temporal values become their ISO strings. */
export function evaluateFeel(expression: string, context: Record<string, unknown>): FeelResult {
  let result;
  try {
    result = evaluate(expression, context);
  } catch (e) {
    throw new FeelError(`failed to evaluate expression '${expression}': ${(e as Error).message}`);
  }
  return { value: toJson(result.value), warnings: result.warnings.map((w) => `[${w.type}] ${w.message}`) };
}

function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(value));
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'function') return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = toJson(v);
  return out;
}
