import knexFactory, { type Knex } from 'knex';

/**
 * knex as a query BUILDER only (no connection): it renders PostgreSQL text with $n parameters,
 * which then runs on the engine's own pg pool like every other engine statement.
 */
export const sql: Knex = knexFactory({ client: 'pg' });

/** What a search runs on: a pg.Pool, a pg.PoolClient or a pg.Client. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export async function run(db: Queryable, query: Knex.QueryBuilder | Knex.Raw): Promise<Record<string, unknown>[]> {
  const native = query.toSQL().toNative();
  return (await db.query(native.sql, native.bindings as unknown[])).rows;
}
