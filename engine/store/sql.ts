/**
 * SQL literal rendering for the batched flush: one command's writes go to PostgreSQL as a single
 * multi-statement text (one round trip). Every value passes through quote() (pg.escapeLiteral's rules).
 */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return `'${v.toISOString()}'::timestamptz`;
  if (Array.isArray(v)) return v.length ? `ARRAY[${v.map((x) => quote(String(x))).join(',')}]::text[]` : `'{}'::text[]`;
  if (typeof v === 'object') return `${quote(JSON.stringify(v))}::jsonb`;
  return quote(String(v));
}

/**
 * pg.escapeLiteral's output, built with two native replaces instead of a character loop (the flush
 * quotes every JSON value a command writes, and the loop was the engine's busiest function).
 */
export function quote(s: string): string {
  const q = s.includes("'") ? s.replaceAll("'", "''") : s;
  return s.includes('\\') ? ` E'${q.replaceAll('\\', '\\\\')}'` : `'${q}'`;
}

/** INSERT … ON CONFLICT (pk) DO UPDATE for rows of one table (all rows have the same columns). */
export function upsertSql(table: string, pk: readonly string[], rows: Record<string, unknown>[]): string {
  const cols = Object.keys(rows[0]);
  const values = rows.map((r) => `(${cols.map((c) => literal(r[c])).join(',')})`).join(',\n');
  const updates = cols.filter((c) => !pk.includes(c)).map((c) => `${c}=EXCLUDED.${c}`);
  const conflict = updates.length
    ? `ON CONFLICT (${pk.join(',')}) DO UPDATE SET ${updates.join(',')}`
    : `ON CONFLICT DO NOTHING`;
  return `INSERT INTO engine.${table} (${cols.join(',')}) VALUES ${values} ${conflict}`;
}

export function insertSql(table: string, rows: Record<string, unknown>[]): string {
  const cols = Object.keys(rows[0]);
  const values = rows.map((r) => `(${cols.map((c) => literal(r[c])).join(',')})`).join(',\n');
  return `INSERT INTO engine.${table} (${cols.join(',')}) VALUES ${values}`;
}

/** A key is an int64 decimal string; anything else never reaches SQL text. */
export function keyLiteral(key: string): string {
  if (!/^-?\d{1,19}$/.test(key)) throw new Error(`invalid key ${key}`);
  return key;
}
