import type { z } from 'zod';
import type { DomainError } from './errors.js';

/**
 * A module's zod parse: the first problem becomes its 422 (`invalid`) naming the field by its dotted path.
 */
export function zodParser(invalid: (field: string, message: string) => DomainError) {
  return function parse<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.output<T> {
    const r = schema.safeParse(value ?? {});
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || prefix || 'body';
    throw invalid(field, issue.message);
  };
}
