import type { Knex } from 'knex';
import { run, sql, type Queryable } from './builder.js';
import { afterCursor, decodeCursor, encodeCursor } from './cursor.js';
import type { FilterField, SortField, Sql } from './fields.js';
import { and, compileFilter } from './filter.js';
import { parsePage } from './page.js';
import { isPlainObject, SearchRequestError } from './request-error.js';
import { orderBy, parseSort, reverse } from './sort.js';

/** How one search endpoint maps Camunda's request onto SQL. */
export interface SearchDefinition<Item> {
  /** FROM (with joins) and the item columns; no WHERE on request input, no ORDER BY, no LIMIT. */
  base(knex: Knex): Knex.QueryBuilder;
  /**
   * FROM for counting, when the filters never touch base()'s joined tables: without the join a
   * count can skip heap pages the visibility map says are all-visible.
   */
  countBase?(knex: Knex): Knex.QueryBuilder;
  /** Unique, non-null key expression: the final tie-breaker and the cursor's anchor. */
  key: string;
  filter: Record<string, FilterField>;
  sort: Record<string, SortField>;
  /**
   * An exact total from a summary the database keeps, for the filter shapes it answers (else null:
   * rows are counted). Must return one row `{ n }`.
   */
  total?(knex: Knex, filter: unknown): Knex.Raw | null;
  /** The filter accepts `$or: [filter, …]` (process instances). */
  allowOr?: boolean;
  toItem(row: Record<string, unknown>): Item;
}

export interface SearchPage {
  totalItems: number;
  hasMoreTotalItems: boolean;
  startCursor?: string;
  endCursor?: string;
}

export interface SearchResult<Item> {
  items: Item[];
  page: SearchPage;
}

/** Counting stops here; beyond it `hasMoreTotalItems` says so, as Camunda's secondary storage does. */
export const TOTAL_ITEMS_CAP = 10_000;

/** Validates and compiles the request without running it (unit-testable; throws SearchRequestError). */
export function compileSearch<Item>(def: SearchDefinition<Item>, body: unknown, scope: Sql[] = []) {
  const knex = sql;
  if (body !== undefined && body !== null && !isPlainObject(body))
    throw new SearchRequestError('body', 'expected a JSON object');
  const request = (body ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(request))
    if (!['filter', 'sort', 'page'].includes(k))
      throw new SearchRequestError(k, 'unknown property; use filter, sort or page');
  const where = and([...scope, ...compileFilter(def.filter, request.filter, 'filter', def.allowOr)]);
  const terms = parseSort(def.sort, def.key, request.sort);
  const page = parsePage(request.page);

  const counted = def.countBase ? def.countBase(knex) : def.base(knex).clearSelect();
  const summary = scope.length ? null : (def.total?.(knex, request.filter) ?? null);
  const count =
    summary ??
    knex
      .from(
        counted
          .select(knex.raw('1'))
          .whereRaw(where.sql, where.bindings as Knex.RawBinding[])
          .limit(TOTAL_ITEMS_CAP + 1)
          .as('matching'),
      )
      .count('* as n');

  const readOrder = page.mode === 'before' ? reverse(terms) : terms;
  const rows = def
    .base(knex)
    .whereRaw(where.sql, where.bindings as Knex.RawBinding[])
    .select(terms.map((t, i) => knex.raw(`(${t.column})::text AS "_sort${i}"`)))
    .orderByRaw(orderBy(readOrder))
    .limit(page.limit);
  if (page.mode === 'offset') rows.offset(page.from);
  else {
    const values = decodeCursor(terms, page.cursor, `page.${page.mode}`);
    const beyond = afterCursor(readOrder, values);
    rows.whereRaw(beyond.sql, beyond.bindings as Knex.RawBinding[]);
  }
  return { count, rows, terms, page };
}

/** Runs a Camunda search request: `{ items, page: { totalItems, hasMoreTotalItems, startCursor, endCursor } }`. */
export async function runSearch<Item>(
  db: Queryable,
  def: SearchDefinition<Item>,
  body: unknown,
  scope: Sql[] = [],
): Promise<SearchResult<Item>> {
  const { count, rows, terms, page: asked } = compileSearch(def, body, scope);
  // Page and count run side by side (two pooled connections); a short page read from an offset
  // already tells the total, and then the count's answer is simply not waited for.
  const counting = run(db, count);
  counting.catch(() => {});
  const found = await run(db, rows);
  if (asked.mode === 'before') found.reverse();
  const derivable = asked.mode === 'offset' && found.length < asked.limit && (found.length > 0 || asked.from === 0);
  const n = derivable && asked.mode === 'offset' ? asked.from + found.length : Number((await counting)[0].n);
  const page: SearchPage = { totalItems: Math.min(n, TOTAL_ITEMS_CAP), hasMoreTotalItems: n > TOTAL_ITEMS_CAP };
  if (found.length > 0) {
    const cursorOf = (row: Record<string, unknown>) =>
      encodeCursor(
        terms,
        terms.map((_, i) => row[`_sort${i}`] as string | null),
      );
    const start = cursorOf(found[0]);
    const end = cursorOf(found[found.length - 1]);
    if (start) page.startCursor = start;
    if (end) page.endCursor = end;
  }
  return { items: found.map((r) => def.toItem(r)), page };
}
