import type { Knex } from 'knex';

/**
 * The /v2 documents API (Camunda 8.8): what each uploaded document is — its store, content hash, name, type,
 * size, expiry, the process it belongs to and the client's custom properties. The bytes are in the document
 * store (engine/document-store/), not here.
 *
 * Default grants in the manner of 0017 for Camunda's DOCUMENT resource type: the staff who handle cases upload and
 * read documents, auditors read them, worker identities upload and read (generated letters, scanned forms), and
 * only admins delete one (a deleted attachment is gone for every case that refers to it).
 */
const HANDLERS = ['clerk', 'cashier', 'reader', 'dispatcher', 'crew', 'engineer', 'manager', 'admin', 'worker'];
type Grant = [role: string, permissions: string[]];
const GRANTS: Grant[] = [
  ...HANDLERS.map((role): Grant => [role, ['CREATE', 'READ']]),
  ['auditor', ['READ']],
  ['admin', ['DELETE']],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine.document (
      document_id            text PRIMARY KEY,
      store_id               text NOT NULL,
      content_hash           text NOT NULL,
      content_type           text,
      file_name              text,
      size                   bigint NOT NULL,
      expires_at             timestamptz,
      process_definition_id  text,
      process_instance_key   bigint,
      custom_properties      jsonb NOT NULL DEFAULT '{}',
      created_at             timestamptz NOT NULL,
      created_by             text
    );
    CREATE INDEX ON engine.document (process_instance_key);
    CREATE INDEX ON engine.document (expires_at) WHERE expires_at IS NOT NULL;
  `);
  for (const [role, permissions] of GRANTS)
    await knex.raw(
      `INSERT INTO engine.authorizations (owner_type, owner_id, resource_type, resource_id, permission_types)
       VALUES ('ROLE', ?, 'DOCUMENT', '*', ?::text[])
       ON CONFLICT (owner_type, owner_id, resource_type, resource_id)
       DO UPDATE SET permission_types = ARRAY(SELECT DISTINCT unnest(authorizations.permission_types || EXCLUDED.permission_types))`,
      [role, permissions],
    );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DELETE FROM engine.authorizations WHERE owner_type = 'ROLE' AND resource_type = 'DOCUMENT';
    DROP TABLE IF EXISTS engine.document;
  `);
}
