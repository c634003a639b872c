import type { Knex } from 'knex';

/**
 * Signals thrown by signal throw/end events: written in the throwing command's transaction and
 * broadcast by the event scheduler, so a crash between the two loses no signal (at least once).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine.signal_outbox (
      key                   bigint PRIMARY KEY,
      signal_name           text NOT NULL,
      variables             jsonb NOT NULL DEFAULT '{}',
      tenant_id             text NOT NULL DEFAULT '<default>',
      process_instance_key  bigint,
      created_at            timestamptz NOT NULL
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS engine.signal_outbox`);
}
