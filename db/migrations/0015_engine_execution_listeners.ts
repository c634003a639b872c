import type { Knex } from 'knex';

/**
 * Execution listeners (engine/runtime/execution-listeners.ts). `listener_index` counts the listeners
 * of the element's current phase (start while ACTIVATING, end while COMPLETING) that have completed,
 * so a listener job completed in a later command resumes at the next one (Zeebe's
 * executionListenerIndex). `start_element_ids` keeps where a process instance enters (message/timer
 * start, start instructions) while its start listeners run in later commands.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE engine.element_instance ADD COLUMN listener_index integer NOT NULL DEFAULT 0;
    ALTER TABLE engine.process_instance ADD COLUMN start_element_ids text[];
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE engine.element_instance DROP COLUMN IF EXISTS listener_index;
    ALTER TABLE engine.process_instance DROP COLUMN IF EXISTS start_element_ids;
  `);
}
