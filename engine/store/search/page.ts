import { isPlainObject, SearchRequestError } from './request-error.js';

export const DEFAULT_LIMIT = 100;
/** Largest page a request may ask for (Camunda's secondary storage refuses larger windows). */
export const MAX_LIMIT = 10_000;

export type PageRequest =
  | { mode: 'offset'; from: number; limit: number }
  | { mode: 'after'; cursor: string; limit: number }
  | { mode: 'before'; cursor: string; limit: number };

/** Camunda's `page`: `{ from, limit }`, `{ after, limit }` or `{ before, limit }`. */
export function parsePage(page: unknown): PageRequest {
  if (page === undefined || page === null) return { mode: 'offset', from: 0, limit: DEFAULT_LIMIT };
  if (!isPlainObject(page)) throw new SearchRequestError('page', 'expected an object');
  for (const k of Object.keys(page))
    if (!['from', 'limit', 'after', 'before'].includes(k))
      throw new SearchRequestError(`page.${k}`, 'unknown property; use from, limit, after or before');
  const limit = page.limit ?? DEFAULT_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)
    throw new SearchRequestError('page.limit', 'expected a non-negative integer');
  if (limit > MAX_LIMIT) throw new SearchRequestError('page.limit', `must not exceed ${MAX_LIMIT}`);
  const given = (['from', 'after', 'before'] as const).filter((k) => page[k] !== undefined);
  if (given.length > 1) throw new SearchRequestError(`page.${given[1]}`, `cannot be combined with page.${given[0]}`);
  if (page.after !== undefined) return { mode: 'after', cursor: page.after as string, limit };
  if (page.before !== undefined) return { mode: 'before', cursor: page.before as string, limit };
  const from = page.from ?? 0;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0)
    throw new SearchRequestError('page.from', 'expected a non-negative integer');
  return { mode: 'offset', from, limit };
}
