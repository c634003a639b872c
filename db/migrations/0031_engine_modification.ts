import type { Knex } from 'knex';

/**
 * Batch operations (Camunda 8.8's /v2/process-instances/cancellation, /v2/batch-operations): one row per batch,
 * one per item (a process instance), worked off in the background in chunks by engine/runtime/batch-operations.ts
 * so that a restart carries on where it stopped. Admins and managers, who cancel single instances since 0017, may
 * create cancellation, migration and modification batches and read batches (Camunda's BATCH resource).
 */
const GRANT = `ARRAY['CREATE_BATCH_OPERATION_CANCEL_PROCESS_INSTANCE', 'CREATE_BATCH_OPERATION_MIGRATE_PROCESS_INSTANCE',
  'CREATE_BATCH_OPERATION_MODIFY_PROCESS_INSTANCE', 'READ']`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine.batch_operation (
      key            bigint PRIMARY KEY,
      operation_type text NOT NULL,
      state          text NOT NULL,
      start_date     timestamptz NOT NULL,
      end_date       timestamptz,
      created_by     text,
      plan           jsonb, -- what each item does beyond the type: a migration plan, move instructions
      total          integer NOT NULL DEFAULT 0,
      completed      integer NOT NULL DEFAULT 0,
      failed         integer NOT NULL DEFAULT 0
    );
    CREATE TABLE engine.batch_operation_item (
      id                   bigserial UNIQUE, -- the search's cursor anchor
      batch_operation_key  bigint NOT NULL,
      item_key             bigint NOT NULL,
      process_instance_key bigint NOT NULL,
      state                text NOT NULL,
      processed_date       timestamptz,
      error_message        text,
      PRIMARY KEY (batch_operation_key, item_key)
    );
    CREATE INDEX batch_operation_item_pending ON engine.batch_operation_item (batch_operation_key) WHERE state = 'ACTIVE';
  `);
  for (const role of ['admin', 'manager'])
    await knex.raw(
      `INSERT INTO engine.authorizations (owner_type, owner_id, resource_type, resource_id, permission_types)
       VALUES ('ROLE', ?, 'BATCH', '*', ${GRANT})
       ON CONFLICT (owner_type, owner_id, resource_type, resource_id)
       DO UPDATE SET permission_types = ARRAY(SELECT DISTINCT unnest(authorizations.permission_types || EXCLUDED.permission_types))`,
      [role],
    );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS engine.batch_operation_item; DROP TABLE IF EXISTS engine.batch_operation;`);
  await knex.raw(
    `DELETE FROM engine.authorizations WHERE owner_type = 'ROLE' AND owner_id IN ('admin', 'manager') AND resource_type = 'BATCH' AND resource_id = '*'`,
  );
}
