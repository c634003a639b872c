import type { Expr } from '../../model/types.js';
import type { InstanceContext } from '../../runtime/context.js';
import { IncidentError } from '../../runtime/incident-error.js';

/** Assignment and schedule values of a user task (either kind), evaluated in the element's scope. */

/** A static "a, b" list or a FEEL list/string of strings → the list (empty entries dropped). */
export function listOf(ctx: InstanceContext, e: Expr | undefined, scopeKey: string): string[] {
  if (!e) return [];
  const csv = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  if ('static' in e) return csv(e.static);
  const { value } = ctx.evaluate(e, scopeKey);
  if (value === null) return [];
  if (typeof value === 'string') return csv(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new IncidentError(
    'EXTRACT_VALUE_ERROR',
    `Expected result of the expression '${e.feel}' to be 'ARRAY' of strings, but was '${JSON.stringify(value)}'.`,
  );
}

/** A date-time value as written or evaluated (ISO 8601 with a time); null when absent or empty. */
export function dateTextOf(ctx: InstanceContext, e: Expr | undefined, scopeKey: string): string | null {
  if (!e || !e.raw.trim()) return null;
  const value = 'static' in e ? e.static : ctx.evaluate(e, scopeKey).value;
  if (value === null || value === '') return null;
  const d = typeof value === 'string' ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime()) || !/T/.test(value as string))
    throw new IncidentError(
      'EXTRACT_VALUE_ERROR',
      `Expected result of the expression '${e.raw}' to be a valid date-time string, but was '${JSON.stringify(value)}'.`,
    );
  return value as string;
}

export function dateOf(ctx: InstanceContext, e: Expr | undefined, scopeKey: string): Date | null {
  const text = dateTextOf(ctx, e, scopeKey);
  return text === null ? null : new Date(text);
}

/** The assignee: a static name or a FEEL string (null and "" mean none). */
export function assigneeOf(ctx: InstanceContext, e: Expr | undefined, scopeKey: string): string | null {
  if (!e || !e.raw.trim()) return null;
  if ('static' in e) return e.static || null;
  return (ctx.evaluateAs(e, scopeKey, 'STRING_OR_NULL') as string | null) || null;
}
