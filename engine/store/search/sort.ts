import type { FieldKind, SortField } from './fields.js';
import { isPlainObject, SearchRequestError } from './request-error.js';

/** One ORDER BY term; `nullsLast` is where NULLs go in THIS direction of reading. */
export interface SortTerm {
  name: string;
  column: string;
  kind: FieldKind;
  desc: boolean;
  nullable: boolean;
  nullsLast: boolean;
}

/**
 * Parses Camunda's `sort: [{ field, order }]` and appends the key as the last term, so that the
 * order is total (stable pages, exact cursors). The key follows the last term's direction, which
 * lets a (column, key) index serve both.
 */
export function parseSort(fields: Record<string, SortField>, key: string, sort: unknown): SortTerm[] {
  const terms: SortTerm[] = [];
  if (sort !== undefined && sort !== null) {
    if (!Array.isArray(sort)) throw new SearchRequestError('sort', 'expected an array of { field, order }');
    sort.forEach((entry, i) => {
      const at = `sort[${i}]`;
      if (!isPlainObject(entry)) throw new SearchRequestError(at, 'expected { field, order }');
      for (const k of Object.keys(entry))
        if (k !== 'field' && k !== 'order') throw new SearchRequestError(`${at}.${k}`, 'unknown property');
      const name = entry.field;
      if (typeof name !== 'string' || !Object.hasOwn(fields, name))
        throw new SearchRequestError(`${at}.field`, `unknown sort field; allowed: ${Object.keys(fields).join(', ')}`);
      const order = entry.order ?? 'ASC';
      if (typeof order !== 'string' || !['ASC', 'DESC'].includes(order.toUpperCase()))
        throw new SearchRequestError(`${at}.order`, 'expected ASC or DESC');
      if (terms.some((t) => t.name === name)) return;
      const f = fields[name];
      terms.push({
        name,
        column: f.column,
        kind: f.kind,
        desc: order.toUpperCase() === 'DESC',
        nullable: !!f.nullable,
        nullsLast: true,
      });
    });
  }
  if (!terms.some((t) => t.column === key)) {
    const desc = terms.length > 0 ? terms[terms.length - 1].desc : false;
    terms.push({ name: '<key>', column: key, kind: 'key', desc, nullable: false, nullsLast: true });
  }
  return terms;
}

/** The same order read backwards (for `before` cursors): directions and NULL placement flip. */
export function reverse(terms: SortTerm[]): SortTerm[] {
  return terms.map((t) => ({ ...t, desc: !t.desc, nullsLast: !t.nullsLast }));
}

export function orderBy(terms: SortTerm[]): string {
  return terms
    .map((t) => {
      const dir = t.desc ? 'DESC' : 'ASC';
      // Only nullable columns get an explicit NULLS clause; otherwise the default keeps plain indexes usable.
      return t.nullable ? `${t.column} ${dir} NULLS ${t.nullsLast ? 'LAST' : 'FIRST'}` : `${t.column} ${dir}`;
    })
    .join(', ');
}

/** Identifies a sort order inside a cursor, so a cursor from another order is refused. */
export function signature(terms: SortTerm[]): string {
  const text = terms.map((t) => `${t.name}:${t.desc ? 'D' : 'A'}`).join(',');
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
