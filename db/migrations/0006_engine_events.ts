import type { Knex } from 'knex';

/**
 * The engine's event side (timers, messages, signals): signal subscriptions, the message-start lock
 * (one active instance per process and correlation key, as Zeebe) and indexes the scheduler needs.
 * NB: knex.raw reads every question mark as a placeholder, so none appear below.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- Open signal subscriptions. element_instance_key NULL: a signal start event of the latest version.
    -- Rows of element instances that have left are ignored (the broadcast checks the element) and swept.
    CREATE TABLE engine.signal_subscription (
      key                     bigint PRIMARY KEY,
      signal_name             text NOT NULL,
      element_id              text NOT NULL,
      element_instance_key    bigint,
      process_instance_key    bigint,
      process_definition_key  bigint NOT NULL,
      bpmn_process_id         text NOT NULL,
      interrupting            boolean NOT NULL DEFAULT true,
      tenant_id               text NOT NULL DEFAULT '<default>',
      created_at              timestamptz NOT NULL
    );
    CREATE INDEX signal_sub_lookup ON engine.signal_subscription (tenant_id, signal_name);
    CREATE INDEX ON engine.signal_subscription (element_instance_key);

    -- A message start event with a correlation key starts one instance per key at a time (Zeebe).
    CREATE TABLE engine.message_start_lock (
      tenant_id             text NOT NULL,
      bpmn_process_id       text NOT NULL,
      correlation_key       text NOT NULL,
      process_instance_key  bigint NOT NULL,
      PRIMARY KEY (tenant_id, bpmn_process_id, correlation_key)
    );

    CREATE INDEX message_deadline ON engine.message (deadline) WHERE state = 'PUBLISHED';
    CREATE INDEX msub_start ON engine.message_subscription (message_name) WHERE state = 'CREATED' AND element_instance_key IS NULL;
    CREATE INDEX timer_start ON engine.timer (bpmn_process_id) WHERE state = 'CREATED' AND process_instance_key IS NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS engine.signal_subscription, engine.message_start_lock;
    DROP INDEX IF EXISTS engine.message_deadline, engine.msub_start, engine.timer_start;
  `);
}
