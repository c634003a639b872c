import type pg from 'pg';

/** What a document is (Camunda's DocumentMetadata), as stored in engine.document (migration 0028). */
export interface DocumentRow {
  documentId: string;
  storeId: string;
  contentHash: string;
  contentType: string | null;
  fileName: string | null;
  size: number;
  expiresAt: Date | null;
  processDefinitionId: string | null;
  processInstanceKey: string | null;
  customProperties: Record<string, unknown>;
  createdAt: Date;
  createdBy: string | null;
}

const COLUMNS = `document_id, store_id, content_hash, content_type, file_name, size, expires_at,
  process_definition_id, process_instance_key::text AS process_instance_key, custom_properties, created_at, created_by`;

function fromRow(r: Record<string, unknown>): DocumentRow {
  return {
    documentId: r.document_id as string,
    storeId: r.store_id as string,
    contentHash: r.content_hash as string,
    contentType: r.content_type as string | null,
    fileName: r.file_name as string | null,
    size: Number(r.size),
    expiresAt: r.expires_at as Date | null,
    processDefinitionId: r.process_definition_id as string | null,
    processInstanceKey: r.process_instance_key as string | null,
    customProperties: r.custom_properties as Record<string, unknown>,
    createdAt: r.created_at as Date,
    createdBy: r.created_by as string | null,
  };
}

export async function findDocument(pool: pg.Pool, documentId: string): Promise<DocumentRow | null> {
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM engine.document WHERE document_id = $1`, [documentId]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/** False when the id is taken (the caller answers ALREADY_EXISTS). */
export async function insertDocument(pool: pg.Pool, d: DocumentRow): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO engine.document (document_id, store_id, content_hash, content_type, file_name, size, expires_at,
       process_definition_id, process_instance_key, custom_properties, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (document_id) DO NOTHING`,
    [
      d.documentId,
      d.storeId,
      d.contentHash,
      d.contentType,
      d.fileName,
      d.size,
      d.expiresAt,
      d.processDefinitionId,
      d.processInstanceKey,
      JSON.stringify(d.customProperties),
      d.createdAt,
      d.createdBy,
    ],
  );
  return rowCount === 1;
}

export async function deleteDocumentRow(pool: pg.Pool, documentId: string): Promise<boolean> {
  const { rowCount } = await pool.query(`DELETE FROM engine.document WHERE document_id = $1`, [documentId]);
  return rowCount === 1;
}
