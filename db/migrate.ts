import type { Knex } from 'knex';
import { migrations } from './migrations/index.js';

const source: Knex.MigrationSource<[string, { up(k: Knex): Promise<void>; down(k: Knex): Promise<void> }]> = {
  getMigrations: async () => migrations,
  getMigrationName: (m) => m[0],
  getMigration: async (m) => m[1],
};

/** Brings the database to the latest schema; returns the names of the migrations that ran. */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, ran] = await knex.migrate.latest({
    migrationSource: source,
    schemaName: 'public',
    tableName: 'knex_migrations',
  });
  return ran as string[];
}
