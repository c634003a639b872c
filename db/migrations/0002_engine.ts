import type { Knex } from 'knex';

/**
 * The embedded engine's state (schema `engine`): rows, not blobs. Keys are int64 from one sequence
 * (Zeebe-like, partition 1 range) and travel as strings. Column meanings: engine/store/README.md.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE SCHEMA IF NOT EXISTS engine;

    -- Keys are taken in blocks of 100 by each engine process (see engine/store/keys.ts).
    CREATE SEQUENCE engine.key_seq START WITH 2251799813685249 INCREMENT BY 100;

    CREATE TABLE engine.deployment (
      key           bigint PRIMARY KEY,
      tenant_id     text NOT NULL DEFAULT '<default>',
      actor         text,
      created_at    timestamptz NOT NULL
    );

    CREATE TABLE engine.process_definition (
      key               bigint PRIMARY KEY,
      bpmn_process_id   text NOT NULL,
      version           int NOT NULL,
      version_tag       text,
      name              text,
      resource_name     text NOT NULL,
      resource          text NOT NULL,
      checksum          text NOT NULL,
      deployment_key    bigint NOT NULL,
      tenant_id         text NOT NULL DEFAULT '<default>',
      deleted           boolean NOT NULL DEFAULT false,
      created_at        timestamptz NOT NULL,
      UNIQUE (tenant_id, bpmn_process_id, version)
    );

    CREATE TABLE engine.form (
      key               bigint PRIMARY KEY,
      form_id           text NOT NULL,
      version           int NOT NULL,
      resource_name     text NOT NULL,
      schema            text NOT NULL,
      checksum          text NOT NULL,
      deployment_key    bigint NOT NULL,
      tenant_id         text NOT NULL DEFAULT '<default>',
      deleted           boolean NOT NULL DEFAULT false,
      created_at        timestamptz NOT NULL,
      UNIQUE (tenant_id, form_id, version)
    );

    CREATE TABLE engine.process_instance (
      key                          bigint PRIMARY KEY,
      process_definition_key       bigint NOT NULL,
      bpmn_process_id              text NOT NULL,
      version                      int NOT NULL,
      version_tag                  text,
      tenant_id                    text NOT NULL DEFAULT '<default>',
      state                        text NOT NULL,          -- ACTIVE | COMPLETED | TERMINATED
      start_date                   timestamptz NOT NULL,
      end_date                     timestamptz,
      parent_process_instance_key  bigint,
      parent_element_instance_key  bigint,
      incident_count               int NOT NULL DEFAULT 0,
      tags                         text[] NOT NULL DEFAULT '{}'
    );
    CREATE INDEX ON engine.process_instance (process_definition_key);
    CREATE INDEX ON engine.process_instance (bpmn_process_id, state);
    CREATE INDEX ON engine.process_instance (parent_process_instance_key);

    CREATE TABLE engine.element_instance (
      key                     bigint PRIMARY KEY,
      process_instance_key    bigint NOT NULL,
      process_definition_key  bigint NOT NULL,
      bpmn_process_id         text NOT NULL,
      element_id              text NOT NULL,
      element_name            text,
      element_type            text NOT NULL,   -- Zeebe BpmnElementType: PROCESS, SERVICE_TASK, ...
      flow_scope_key          bigint,          -- NULL for the PROCESS element itself
      state                   text NOT NULL,   -- ACTIVATING | ACTIVATED | COMPLETING | COMPLETED | TERMINATING | TERMINATED
      start_date              timestamptz NOT NULL,
      end_date                timestamptz,
      incident_key            bigint,          -- the open incident on this element, if any
      loop_counter            int,             -- multi-instance body children (events helper)
      tenant_id               text NOT NULL DEFAULT '<default>'
    );
    CREATE INDEX ON engine.element_instance (process_instance_key);
    CREATE INDEX ON engine.element_instance (flow_scope_key);

    -- Zeebe's join rule: how often each incoming flow of a joining gateway was taken in a flow scope.
    CREATE TABLE engine.taken_flow (
      process_instance_key  bigint NOT NULL,
      flow_scope_key        bigint NOT NULL,
      gateway_id            text NOT NULL,
      flow_id               text NOT NULL,
      count                 int NOT NULL,
      PRIMARY KEY (flow_scope_key, gateway_id, flow_id)
    );
    CREATE INDEX ON engine.taken_flow (process_instance_key);

    CREATE TABLE engine.variable (
      key                     bigint PRIMARY KEY,
      name                    text NOT NULL,
      value                   text NOT NULL,   -- JSON text, exactly as serialised
      scope_key               bigint NOT NULL,
      process_instance_key    bigint NOT NULL,
      process_definition_key  bigint NOT NULL,
      bpmn_process_id         text NOT NULL,
      tenant_id               text NOT NULL DEFAULT '<default>',
      UNIQUE (scope_key, name)
    );
    CREATE INDEX ON engine.variable (process_instance_key);
    CREATE INDEX ON engine.variable (name);

    CREATE TABLE engine.job (
      key                     bigint PRIMARY KEY,
      type                    text NOT NULL,
      state                   text NOT NULL,   -- ACTIVATABLE | ACTIVATED | FAILED | COMPLETED | CANCELED | ERROR_THROWN
      kind                    text NOT NULL DEFAULT 'BPMN_ELEMENT',
      listener_event_type     text NOT NULL DEFAULT 'UNSPECIFIED',
      retries                 int NOT NULL,
      worker                  text,
      deadline                timestamptz,     -- while ACTIVATED
      retry_backoff_until     timestamptz,     -- failed with retries left: activatable after this
      custom_headers          jsonb NOT NULL DEFAULT '{}',
      error_message           text,
      error_code              text,
      process_instance_key    bigint NOT NULL,
      element_instance_key    bigint NOT NULL,
      element_id              text NOT NULL,
      process_definition_key  bigint NOT NULL,
      bpmn_process_id         text NOT NULL,
      version                 int NOT NULL,
      tenant_id               text NOT NULL DEFAULT '<default>',
      created_at              timestamptz NOT NULL,
      updated_at              timestamptz NOT NULL,
      end_date                timestamptz
    );
    CREATE INDEX job_activatable ON engine.job (type, key) WHERE state = 'ACTIVATABLE';
    CREATE INDEX job_deadline ON engine.job (deadline) WHERE state = 'ACTIVATED';
    CREATE INDEX job_backoff ON engine.job (retry_backoff_until) WHERE state = 'FAILED' AND retries > 0;
    CREATE INDEX ON engine.job (process_instance_key);
    CREATE INDEX ON engine.job (element_instance_key);

    CREATE TABLE engine.incident (
      key                     bigint PRIMARY KEY,
      error_type              text NOT NULL,   -- JOB_NO_RETRIES | EXTRACT_VALUE_ERROR | CONDITION_ERROR | IO_MAPPING_ERROR | UNHANDLED_ERROR_EVENT | CALLED_ELEMENT_ERROR ...
      error_message           text NOT NULL DEFAULT '',
      state                   text NOT NULL,   -- ACTIVE | RESOLVED
      process_instance_key    bigint NOT NULL,
      element_instance_key    bigint NOT NULL,
      element_id              text NOT NULL,
      job_key                 bigint,
      process_definition_key  bigint NOT NULL,
      bpmn_process_id         text NOT NULL,
      tenant_id               text NOT NULL DEFAULT '<default>',
      created_at              timestamptz NOT NULL,
      resolved_at             timestamptz
    );
    CREATE INDEX ON engine.incident (process_instance_key);
    CREATE INDEX ON engine.incident (state);

    CREATE TABLE engine.user_task (
      key                       bigint PRIMARY KEY,
      state                     text NOT NULL,   -- CREATED | COMPLETED | CANCELED
      element_instance_key      bigint NOT NULL,
      process_instance_key      bigint NOT NULL,
      process_definition_key    bigint NOT NULL,
      bpmn_process_id           text NOT NULL,
      version                   int NOT NULL,
      element_id                text NOT NULL,
      name                      text,
      assignee                  text,
      candidate_groups          text[] NOT NULL DEFAULT '{}',
      candidate_users           text[] NOT NULL DEFAULT '{}',
      due_date                  timestamptz,
      follow_up_date            timestamptz,
      priority                  int NOT NULL DEFAULT 50,
      form_key                  bigint,
      external_form_reference   text,
      custom_headers            jsonb NOT NULL DEFAULT '{}',
      tenant_id                 text NOT NULL DEFAULT '<default>',
      creation_date             timestamptz NOT NULL,
      completion_date           timestamptz
    );
    CREATE INDEX ON engine.user_task (state, assignee);
    CREATE INDEX ON engine.user_task (process_instance_key);
    CREATE INDEX ON engine.user_task USING gin (candidate_groups);

    CREATE TABLE engine.timer (
      key                     bigint PRIMARY KEY,
      state                   text NOT NULL,   -- CREATED | TRIGGERED | CANCELED
      due_date                timestamptz NOT NULL,
      repetitions             int NOT NULL DEFAULT 1,   -- -1 = unbounded cycle
      cycle                   text,                     -- the cycle expression result for re-arming
      element_id              text NOT NULL,
      element_instance_key    bigint,          -- NULL for timer start events
      process_instance_key    bigint,
      process_definition_key  bigint NOT NULL,
      bpmn_process_id         text NOT NULL,
      tenant_id               text NOT NULL DEFAULT '<default>',
      created_at              timestamptz NOT NULL
    );
    CREATE INDEX timer_due ON engine.timer (due_date) WHERE state = 'CREATED';
    CREATE INDEX ON engine.timer (element_instance_key);

    CREATE TABLE engine.message_subscription (
      key                     bigint PRIMARY KEY,
      state                   text NOT NULL,   -- CREATED | CORRELATED | DELETED
      message_name            text NOT NULL,
      correlation_key         text,            -- NULL for message start events
      element_id              text NOT NULL,
      element_instance_key    bigint,          -- NULL for message start events
      process_instance_key    bigint,
      process_definition_key  bigint NOT NULL,
      bpmn_process_id         text NOT NULL,
      interrupting            boolean NOT NULL DEFAULT true,
      tenant_id               text NOT NULL DEFAULT '<default>',
      created_at              timestamptz NOT NULL,
      updated_at              timestamptz NOT NULL
    );
    CREATE INDEX msub_lookup ON engine.message_subscription (message_name, correlation_key) WHERE state = 'CREATED';
    CREATE INDEX ON engine.message_subscription (element_instance_key);

    CREATE TABLE engine.message (
      key               bigint PRIMARY KEY,
      state             text NOT NULL,   -- PUBLISHED | EXPIRED
      name              text NOT NULL,
      correlation_key   text NOT NULL DEFAULT '',
      message_id        text,
      variables         text NOT NULL DEFAULT '{}',
      time_to_live      bigint NOT NULL DEFAULT 0,
      deadline          timestamptz NOT NULL,
      tenant_id         text NOT NULL DEFAULT '<default>',
      created_at        timestamptz NOT NULL
    );
    CREATE INDEX message_buffered ON engine.message (name, correlation_key) WHERE state = 'PUBLISHED';
    CREATE UNIQUE INDEX message_id_unique ON engine.message (tenant_id, name, message_id) WHERE message_id IS NOT NULL AND state = 'PUBLISHED';

    -- Which process instances a buffered message has already been correlated to (once per instance).
    CREATE TABLE engine.message_correlation (
      message_key           bigint NOT NULL,
      process_instance_key  bigint NOT NULL,
      subscription_key      bigint,
      created_at            timestamptz NOT NULL,
      PRIMARY KEY (message_key, process_instance_key)
    );

    -- Append-only record log, like the records Zeebe exports. Written in the command's transaction.
    CREATE TABLE engine.record (
      position                bigserial PRIMARY KEY,
      key                     bigint NOT NULL,
      value_type              text NOT NULL,   -- PROCESS_INSTANCE | JOB | VARIABLE | INCIDENT | USER_TASK | DEPLOYMENT | PROCESS | FORM | MESSAGE | TIMER | ...
      intent                  text NOT NULL,   -- ELEMENT_ACTIVATING, SEQUENCE_FLOW_TAKEN, CREATED, COMPLETED, ...
      record_type             text NOT NULL DEFAULT 'EVENT',
      process_instance_key    bigint,
      element_instance_key    bigint,
      flow_scope_key          bigint,
      element_id              text,
      element_type            text,
      process_definition_key  bigint,
      bpmn_process_id         text,
      version                 int,
      tenant_id               text NOT NULL DEFAULT '<default>',
      actor                   text,
      timestamp               timestamptz NOT NULL,
      value                   jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX ON engine.record (process_instance_key, position);
    CREATE INDEX ON engine.record (value_type, intent);
    CREATE INDEX ON engine.record (timestamp);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS engine.record, engine.message_correlation, engine.message, engine.message_subscription,
      engine.timer, engine.user_task, engine.incident, engine.job, engine.variable, engine.taken_flow,
      engine.element_instance, engine.process_instance, engine.form, engine.process_definition, engine.deployment;
    DROP SEQUENCE IF EXISTS engine.key_seq;
  `);
}
