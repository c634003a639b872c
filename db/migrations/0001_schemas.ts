import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SCHEMA IF NOT EXISTS cis');
  await knex.raw('CREATE SCHEMA IF NOT EXISTS engine');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS btree_gin');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP SCHEMA IF EXISTS engine CASCADE');
  await knex.raw('DROP SCHEMA IF EXISTS cis CASCADE');
}
