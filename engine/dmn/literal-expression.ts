import { evaluateRaw, type Variables } from '../feel/index.js';
import type { LiteralExpressionModel } from './types.js';

/** A literal expression decision: its FEEL text evaluated with the variables; the FEEL value is the result. */
export function evaluateLiteral(
  literal: LiteralExpressionModel,
  variables: Variables,
  now: Date,
): { ok: true; output: unknown } | { ok: false; message: string } {
  const r = evaluateRaw(literal.text, variables, { now });
  return r.ok ? { ok: true, output: r.value ?? null } : r;
}
