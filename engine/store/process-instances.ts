import type pg from 'pg';

export async function processInstanceState(db: pg.Pool, key: string): Promise<string | undefined> {
  const { rows } = await db.query(`SELECT state FROM engine.process_instance WHERE key = $1`, [key]);
  return rows[0]?.state;
}

/** Variables of the root scope (the process instance), optionally only the named ones. */
export async function rootVariables(
  db: pg.Pool,
  piKey: string,
  names: string[] | null,
): Promise<Record<string, unknown>> {
  const { rows } = await db.query(
    `SELECT name, value FROM engine.variable WHERE scope_key = $1 AND ($2::text[] IS NULL OR name = ANY($2))`,
    [piKey, names],
  );
  return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
}
