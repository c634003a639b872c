import type { Knex } from 'knex';

/**
 * User task listeners (engine/runtime/task-listeners.ts). While a lifecycle transition waits for its
 * listeners the task is in CREATING, ASSIGNING, UPDATING, COMPLETING or CANCELING (the `state`
 * column), and `pending` holds the transition in flight — Zeebe's "intermediate state": the event
 * type, the listener index, the action, the changed attributes and the task's values as they will
 * be once finalized (command values plus corrections), the completion variables. A denial drops it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE engine.user_task ADD COLUMN pending jsonb;`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE engine.user_task DROP COLUMN IF EXISTS pending;`);
}
