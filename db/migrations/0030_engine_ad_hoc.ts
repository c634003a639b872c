import type { Knex } from 'knex';

/**
 * Ad-hoc sub-processes driven by a job worker: a job result may fulfil the completion condition while
 * inner flows are still active (isCancelRemainingInstances false); the ad-hoc sub-process then completes
 * when the last of them ends. Zeebe keeps that flag on the element instance; so do we.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE engine.element_instance ADD COLUMN completion_condition_fulfilled boolean NOT NULL DEFAULT false;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE engine.element_instance DROP COLUMN IF EXISTS completion_condition_fulfilled`);
}
