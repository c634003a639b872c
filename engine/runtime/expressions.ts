import type { Expr } from '../model/types.js';
import { evaluateExpression, evaluateInputMappings, evaluateOutputMappings, type Mapping } from '../feel/index.js';
import { IncidentError, type IncidentErrorType } from './incident-error.js';

/**
 * The core's door to FEEL: engine/feel/ (Zeebe's null-friendly rules, the time budget every evaluation runs
 * under, linear-time regular expressions, clock, Camunda extension functions). A failure (syntax, assert,
 * budget, result too large, unsupported pattern) becomes an IncidentError of the caller's type: an incident,
 * never a crash.
 */

export interface FeelResult {
  value: unknown;
  warnings: string[];
}

/** The result types a model value may be required to have (Zeebe's wording in the incident message). */
export type ExpectedType = 'STRING' | 'NUMBER' | 'BOOLEAN' | 'ARRAY' | 'STRING_OR_NULL';

/** Evaluates a model value (static text or `=` FEEL) against the variables of a scope (read only for FEEL). */
export function evaluate(
  e: Expr,
  variables: () => Record<string, unknown>,
  now: Date,
  errorType: IncidentErrorType = 'EXTRACT_VALUE_ERROR',
): FeelResult {
  if ('static' in e) return { value: e.static, warnings: [] };
  const r = evaluateExpression(e.feel, variables(), { now });
  if (!r.ok) throw new IncidentError(errorType, r.message);
  return { value: r.value, warnings: r.warnings.map((w) => `[${w.type}] ${w.message}`) };
}

/** evaluate(), then the result must have the expected type (a static value is converted as Zeebe does). */
export function evaluateAs(
  e: Expr,
  variables: () => Record<string, unknown>,
  now: Date,
  expected: ExpectedType,
  errorType: IncidentErrorType = 'EXTRACT_VALUE_ERROR',
): unknown {
  const { value, warnings } = evaluate(e, variables, now, errorType);
  if ('static' in e) {
    if (expected === 'NUMBER') {
      const n = Number(e.static);
      if (Number.isFinite(n)) return n;
    } else if (expected === 'BOOLEAN') {
      if (e.static === 'true' || e.static === 'false') return e.static === 'true';
    } else return value;
  }
  const actual = typeName(value);
  const ok =
    (expected === 'STRING' && actual === 'STRING') ||
    (expected === 'STRING_OR_NULL' && (actual === 'STRING' || actual === 'NULL')) ||
    (expected === 'NUMBER' && actual === 'NUMBER') ||
    (expected === 'BOOLEAN' && actual === 'BOOLEAN') ||
    (expected === 'ARRAY' && actual === 'ARRAY');
  if (!ok) {
    const w = warnings.length ? ` The evaluation reported the following warnings:\n${warnings.join('\n')}` : '';
    throw new IncidentError(
      errorType,
      `Expected result of the expression '${e.raw.replace(/^\s*=\s*/, '')}' to be '${expected === 'STRING_OR_NULL' ? 'STRING' : expected}', but was '${actual}'.${w}`,
    );
  }
  return value;
}

/** `zeebe:input` mappings: the element's local variables (IO_MAPPING_ERROR on failure). */
export function inputMappings(
  mappings: Array<{ source: Expr; target: string }>,
  variables: Record<string, unknown>,
  now: Date,
): Record<string, unknown> {
  const r = evaluateInputMappings(mappings.map(rawMapping), variables, { now });
  if (!r.ok) throw new IncidentError('IO_MAPPING_ERROR', r.message);
  return r.value;
}

/** `zeebe:output` mappings: what the element passes to its scope (IO_MAPPING_ERROR on failure). */
export function outputMappings(
  mappings: Array<{ source: Expr; target: string }>,
  variables: Record<string, unknown>,
  existing: (name: string) => unknown,
  now: Date,
): Record<string, unknown> {
  const r = evaluateOutputMappings(mappings.map(rawMapping), variables, { now, existing });
  if (!r.ok) throw new IncidentError('IO_MAPPING_ERROR', r.message);
  return r.value;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return 'STRING';
  if (typeof v === 'number') return 'NUMBER';
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (Array.isArray(v)) return 'ARRAY';
  return 'OBJECT';
}

function rawMapping(m: { source: Expr; target: string }): Mapping {
  return { source: m.source.raw, target: m.target };
}
