import type { Knex } from 'knex';

/**
 * Compensation subscriptions (Zeebe's COMPENSATION_SUBSCRIPTION): one per completed activity that has
 * a compensation boundary event, CREATED on completion, TRIGGERED by a compensation throw event,
 * COMPLETED with its handler, DELETED when the process instance ends. `scope_path` is the activity's
 * flow-scope chain (innermost first), so a throw finds what lies in completed sub-processes below it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine.compensation_subscription (
      key                                 bigint PRIMARY KEY,
      state                               text NOT NULL,
      process_instance_key                bigint NOT NULL,
      process_definition_key              bigint NOT NULL,
      tenant_id                           text NOT NULL DEFAULT '<default>',
      compensable_activity_id             text NOT NULL,
      compensable_activity_instance_key   bigint NOT NULL,
      compensable_activity_scope_key      bigint NOT NULL,
      compensable_activity_scope_id       text NOT NULL,
      scope_path                          text[] NOT NULL,
      compensation_handler_id             text NOT NULL,
      compensation_handler_instance_key   bigint,
      throw_event_id                      text,
      throw_event_instance_key            bigint,
      created_at                          timestamptz NOT NULL
    );
    CREATE INDEX compensation_subscription_open ON engine.compensation_subscription (process_instance_key)
      WHERE state IN ('CREATED', 'TRIGGERED');
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS engine.compensation_subscription`);
}
