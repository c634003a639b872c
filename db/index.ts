import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// int8 (bigint) columns hold engine keys and counts; keep them as strings so no key loses precision.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);
// numeric (volumes in m³) stays a string: never a float on the way through.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

export type { Knex };

export function createKnex(url: string, pool: { min?: number; max?: number } = {}): Knex {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
  });
}
