import type { Knex } from 'knex';

/**
 * Multi-instance bodies: the input collection as evaluated on activation (Zeebe ≥ 8.8 evaluates it
 * once and iterates over that snapshot) and the completed/terminated counters the completion
 * condition reads. A row lives as long as its body is active.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine.multi_instance_body (
      key                   bigint PRIMARY KEY,   -- the MULTI_INSTANCE_BODY element instance
      process_instance_key  bigint NOT NULL,
      input_collection      text NOT NULL,        -- JSON array
      completed             int NOT NULL DEFAULT 0,
      terminated            int NOT NULL DEFAULT 0
    );
    CREATE INDEX ON engine.multi_instance_body (process_instance_key);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS engine.multi_instance_body`);
}
