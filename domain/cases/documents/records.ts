import type { Knex } from 'knex';
import type { CaseDocument, CaseDocumentKind, CaseDocumentVersion } from '../../../contracts/case-documents.js';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { notFound } from '../errors.js';
import { previewable } from './content-type.js';
import type { StoredFile } from './store.js';

type Row = Record<string, unknown>;

/** A version to append: the file as stored, and what it is to the case. */
export interface NewVersion {
  caseId: number;
  caseNo: string;
  /** an existing logical document, or a new one of this kind and title */
  documentId?: number;
  /** a step's one document of its kind (the contract), found or created by this key */
  docKey?: string;
  kind: CaseDocumentKind;
  title: string;
  fileName: string;
  contentType: string;
  size: number;
  step: string | null;
  stored: StoredFile;
}

/**
 * Appends a version inside the caller's transaction: the logical document is locked so that two uploads at once
 * get versions n+1 and n+2, never the same number. One audit row per version.
 */
export async function appendVersion(
  trx: Knex.Transaction,
  v: NewVersion,
  ctx: ChangeContext,
): Promise<{ documentId: number; versionId: number; version: number }> {
  let doc: Row | undefined;
  if (v.documentId !== undefined)
    doc = await trx('cis.case_documents').where({ id: v.documentId, case_id: v.caseId }).forUpdate().first();
  else if (v.docKey) {
    await trx('cis.case_documents')
      .insert({ case_id: v.caseId, kind: v.kind, title: v.title, doc_key: v.docKey, created_by: ctx.actor })
      .onConflict(['case_id', 'doc_key'])
      .ignore();
    doc = await trx('cis.case_documents').where({ case_id: v.caseId, doc_key: v.docKey }).forUpdate().first();
  } else
    [doc] = await trx('cis.case_documents')
      .insert({ case_id: v.caseId, kind: v.kind, title: v.title, created_by: ctx.actor })
      .returning('*');
  if (!doc) throw notFound(`document of case ${v.caseNo}`, v.documentId ?? v.docKey ?? '');
  const top = await trx('cis.case_document_versions')
    .where({ case_document_id: doc.id })
    .max('version as last')
    .first();
  const version = Number(top?.last ?? 0) + 1;
  const [row] = await trx('cis.case_document_versions')
    .insert({
      case_document_id: doc.id,
      version,
      store_document_id: v.stored.storeDocumentId,
      store_id: v.stored.storeId,
      content_hash: v.stored.contentHash,
      content_type: v.contentType,
      file_name: v.fileName,
      size: v.size,
      step: v.step,
      uploaded_by: ctx.actor,
    })
    .returning('id');
  await writeAudit(trx, ctx, [
    {
      action: 'case_document_uploaded',
      entity: 'case',
      entityId: v.caseNo,
      after: {
        documentId: Number(doc.id),
        kind: doc.kind,
        version,
        fileName: v.fileName,
        contentType: v.contentType,
        size: v.size,
        step: v.step,
        storeDocumentId: v.stored.storeDocumentId,
      },
    },
  ]);
  return { documentId: Number(doc.id), versionId: Number(row.id), version };
}

const versionOf = (r: Row): CaseDocumentVersion => ({
  versionId: Number(r.version_id),
  version: Number(r.version),
  fileName: r.file_name as string,
  contentType: r.content_type as string,
  size: Number(r.size),
  step: (r.step as string) ?? null,
  uploadedBy: r.uploaded_by as string,
  uploadedAt: new Date(r.uploaded_at as string).toISOString(),
  previewable: previewable(r.content_type as string),
});

const versions = (knex: Knex) =>
  knex('cis.case_documents as d')
    .join('cis.case_document_versions as v', 'v.case_document_id', 'd.id')
    .select('d.id as document_id', 'd.kind', 'd.title', 'v.id as version_id', 'v.*');

/** A case's documents, each with every version newest first; the most recently uploaded document first. */
export async function listDocuments(knex: Knex, caseId: number, documentId?: number): Promise<CaseDocument[]> {
  const q = versions(knex).where('d.case_id', caseId).orderBy('v.id', 'desc');
  if (documentId !== undefined) q.where('d.id', documentId);
  const byDoc = new Map<number, CaseDocument>();
  for (const r of await q) {
    const id = Number(r.document_id);
    const v = versionOf(r);
    const doc = byDoc.get(id);
    if (doc) doc.versions.push(v);
    else byDoc.set(id, { documentId: id, kind: r.kind, title: r.title, latest: v, versions: [v] });
  }
  return [...byDoc.values()];
}

/** One version of a case's document with its store reference; 404 when it is not this case's. */
export async function findVersion(
  knex: Knex,
  caseId: number,
  caseNo: string,
  versionId: number,
): Promise<CaseDocumentVersion & StoredFile & { kind: CaseDocumentKind; title: string }> {
  const r = Number.isSafeInteger(versionId)
    ? await versions(knex).where({ 'd.case_id': caseId, 'v.id': versionId }).first()
    : undefined;
  if (!r) throw notFound(`document version of case ${caseNo}:`, versionId);
  return {
    ...versionOf(r),
    kind: r.kind,
    title: r.title,
    storeDocumentId: r.store_document_id,
    storeId: r.store_id,
    contentHash: r.content_hash,
  };
}
