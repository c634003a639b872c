import type { Knex } from 'knex';

/**
 * The record log is written ~10 rows per command and read by process instance (timelines, sequence
 * flows). The (value_type, intent) btree served no query and the timestamp btree only time-range
 * reports: they cost an index insert per record. Records arrive in time order, so a BRIN index
 * answers time ranges at almost no write cost.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX IF EXISTS engine.record_value_type_intent_idx;
    DROP INDEX IF EXISTS engine.record_timestamp_idx;
    CREATE INDEX record_timestamp_brin ON engine.record USING brin (timestamp);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX IF EXISTS engine.record_timestamp_brin;
    CREATE INDEX ON engine.record (value_type, intent);
    CREATE INDEX ON engine.record (timestamp);
  `);
}
