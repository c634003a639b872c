import { SQL_TYPE, type Sql } from './fields.js';
import { SearchRequestError } from './request-error.js';
import { signature, type SortTerm } from './sort.js';

/**
 * Keyset cursors: base64 of `[sortSignature, value₁, …, key]`, the row's sort values as text
 * (exact round trip through PostgreSQL's own text form). Opaque to clients, as Camunda's are.
 */
export function encodeCursor(terms: SortTerm[], values: Array<string | null>): string | undefined {
  const text = Buffer.from(JSON.stringify([signature(terms), ...values]), 'utf8').toString('base64');
  // The client's schema caps cursors at 300 characters; a longer one (huge sort values) is left out.
  return text.length <= 300 ? text : undefined;
}

export function decodeCursor(terms: SortTerm[], cursor: unknown, path: string): Array<string | null> {
  if (typeof cursor !== 'string' || cursor.length < 2 || !/^[A-Za-z0-9+/]+={0,2}$/.test(cursor))
    throw new SearchRequestError(path, 'malformed cursor');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
  } catch {
    throw new SearchRequestError(path, 'malformed cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== terms.length + 1 ||
    !parsed.every((v) => v === null || (typeof v === 'string' && !v.includes('\u0000')))
  )
    throw new SearchRequestError(path, 'malformed cursor');
  if (parsed[0] !== signature(terms)) throw new SearchRequestError(path, 'cursor belongs to a different sort order');
  const values = parsed.slice(1) as Array<string | null>;
  if (values[values.length - 1] === null || !/^-?\d+$/.test(values[values.length - 1] as string))
    throw new SearchRequestError(path, 'malformed cursor');
  return values;
}

/**
 * Rows strictly after the cursor row in the given order: for each term i, equal on the terms
 * before it and beyond it on term i. NULLs sit at the end (nullsLast) or the start of each term.
 */
export function afterCursor(terms: SortTerm[], values: Array<string | null>): Sql {
  const branches: Sql[] = [];
  for (let i = 0; i < terms.length; i++) {
    const parts: Sql[] = [];
    for (let j = 0; j < i; j++) parts.push(equal(terms[j], values[j]));
    const beyond = after(terms[i], values[i]);
    if (!beyond) continue;
    parts.push(beyond);
    branches.push({ sql: parts.map((p) => `(${p.sql})`).join(' AND '), bindings: parts.flatMap((p) => p.bindings) });
  }
  if (branches.length === 0) return { sql: 'false', bindings: [] };
  return { sql: branches.map((b) => `(${b.sql})`).join(' OR '), bindings: branches.flatMap((b) => b.bindings) };
}

function equal(t: SortTerm, v: string | null): Sql {
  if (v === null) return { sql: `${t.column} IS NULL`, bindings: [] };
  return { sql: `${t.column} = ?::${SQL_TYPE[t.kind]}`, bindings: [v] };
}

function after(t: SortTerm, v: string | null): Sql | null {
  if (v === null) return t.nullsLast ? null : { sql: `${t.column} IS NOT NULL`, bindings: [] };
  const cmp = `${t.column} ${t.desc ? '<' : '>'} ?::${SQL_TYPE[t.kind]}`;
  return { sql: t.nullable && t.nullsLast ? `(${cmp} OR ${t.column} IS NULL)` : cmp, bindings: [v] };
}
