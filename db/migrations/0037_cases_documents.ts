import type { Knex } from 'knex';

/**
 * A case's documents (M7): drawings, budgets, requisitions, photos, contracts, scanned IDs. The bytes are in the
 * engine's document store (/v2/documents: DATA_DIR/documents, or S3 when configured) — one store for the engine's
 * documents and the cases'; these rows say what each file is to the case. A logical document has versions; a
 * re-upload is version n+1 and the old versions stay (append-only, as the repair facts), so nothing is lost when a
 * step is redone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE cis.case_documents (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cis.cases,
      kind text NOT NULL CHECK (kind IN ('drawing', 'budget', 'requisition', 'photo', 'contract', 'id_scan', 'other')),
      title text NOT NULL CHECK (length(title) > 0),
      -- a document a step keeps one of (the supply contract: 'contract'); uploads by people have none
      doc_key text,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (case_id, doc_key)
    );
    CREATE INDEX case_documents_case ON cis.case_documents (case_id, id);

    CREATE TABLE cis.case_document_versions (
      id bigserial PRIMARY KEY,
      case_document_id bigint NOT NULL REFERENCES cis.case_documents,
      version integer NOT NULL CHECK (version > 0),
      -- the engine's document reference (what /v2/documents/{documentId}?contentHash= reads)
      store_document_id text NOT NULL UNIQUE,
      store_id text NOT NULL,
      content_hash text NOT NULL,
      content_type text NOT NULL,
      file_name text NOT NULL,
      size bigint NOT NULL CHECK (size > 0),
      step text,
      uploaded_by text NOT NULL,
      uploaded_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (case_document_id, version)
    );
    CREATE TRIGGER case_document_versions_append_only BEFORE UPDATE OR DELETE ON cis.case_document_versions
      FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();
    CREATE TRIGGER case_document_versions_no_truncate BEFORE TRUNCATE ON cis.case_document_versions
      FOR EACH STATEMENT EXECUTE FUNCTION cis.forbid_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE cis.case_document_versions;
    DROP TABLE cis.case_documents;
  `);
}
