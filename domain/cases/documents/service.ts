import type { Knex } from 'knex';
import { z } from 'zod';
import { CASE_DOCUMENT_KINDS, type CaseDocument, type CaseDocumentKind } from '../../../contracts/case-documents.js';
import type { ChangeContext } from '../../audit/audit.js';
import { inTransaction } from '../../transaction.js';
import { casesRefusals, invalid, notFound } from '../errors.js';
import { findCase } from '../records.js';
import { parse, text } from '../schemas.js';
import { checkFile, DEFAULT_MAX_DOCUMENT_BYTES, fileRefused, type FileUpload } from './checks.js';
import { appendVersion, findVersion, listDocuments } from './records.js';
import { noScan, type VirusScanner } from './scanner.js';
import type { CaseDocumentStore, StoredFile } from './store.js';

export type { CaseDocumentStore, StoredFile } from './store.js';
export type { VirusScanner, ScanVerdict } from './scanner.js';

// Multipart fields arrive as strings; an empty one is "not given".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const UploadInput = z.object({
  kind: optional(z.enum(CASE_DOCUMENT_KINDS)),
  title: optional(text(200)),
  /** add a version to this document of the case */
  documentId: optional(z.coerce.number().int().positive()),
  /** the model element (task) the upload came from */
  step: optional(text(200)),
});

export interface CaseDocumentsOptions {
  /** Largest file accepted (bytes). */
  maxBytes?: number;
  scanner?: VirusScanner;
}

/** What a step's generated document is: one logical document per case and key (e.g. the supply contract). */
export interface GeneratedDocument {
  docKey: string;
  kind: CaseDocumentKind;
  title: string;
  step: string | null;
}

/**
 * A case's documents (M7): every file with its versions, uploader, step and time. An upload is checked (size,
 * type by content for its kind), scanned, stored in the document store handed in, then recorded as version n+1
 * of its logical document; a refusal at any check stores nothing. Old versions are never replaced.
 */
/** The case a document belongs to: 404 when there is none. */
async function caseOf(knex: Knex, caseNo: string) {
  const c = await findCase(knex, caseNo);
  return { id: Number(c.id), caseNo: c.case_no as string, pik: (c.process_instance_key as string | null) ?? null };
}

export class CaseDocumentsService {
  private readonly maxBytes: number;
  private readonly scanner: VirusScanner;

  constructor(
    private readonly knex: Knex,
    private readonly store: CaseDocumentStore,
    opts: CaseDocumentsOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
    this.scanner = opts.scanner ?? noScan;
  }

  /** The case's documents; `hidden` kinds (scanned IDs for a reader who needs no personal data) left out. */
  async list(caseNo: string, hidden: CaseDocumentKind[] = []): Promise<CaseDocument[]> {
    const c = await caseOf(this.knex, caseNo);
    return (await listDocuments(this.knex, c.id)).filter((d) => !hidden.includes(d.kind));
  }

  /** A person's upload: a new document (`kind`, optional `title`) or a new version of one (`documentId`). */
  async upload(
    caseNo: string,
    input: unknown,
    file: FileUpload | undefined,
    ctx: ChangeContext,
  ): Promise<CaseDocument> {
    const c = await caseOf(this.knex, caseNo);
    const v = parse(UploadInput, input);
    let kind = v.kind;
    let title = v.title;
    if (v.documentId !== undefined) {
      const [doc] = await listDocuments(this.knex, c.id, v.documentId);
      if (!doc) throw notFound(`document of case ${c.caseNo}:`, v.documentId);
      kind = doc.kind; // a version is of its document's kind, whatever the form says
      title = doc.title;
    }
    if (!kind) throw invalid('kind', 'is required for a new document');
    if (!file) throw invalid('file', 'is required');
    const fileName = file.fileName.normalize('NFC').trim().slice(0, 200) || 'file';
    const contentType = checkFile(kind, file, this.maxBytes);
    await this.scan(file);
    const stored = await this.store.put(
      { fileName, contentType, bytes: file.bytes },
      { caseNo: c.caseNo, kind, processInstanceKey: c.pik },
    );
    const done = await this.recorded(stored, () =>
      inTransaction(this.knex, 'cases.documentUpload', ctx, casesRefusals, (trx, cx) =>
        appendVersion(
          trx,
          {
            caseId: c.id,
            caseNo: c.caseNo,
            documentId: v.documentId,
            kind,
            title: title ?? fileName,
            fileName,
            contentType,
            size: file.bytes.length,
            step: v.step ?? null,
            stored,
          },
          cx,
        ),
      ),
    );
    return (await listDocuments(this.knex, c.id, done.documentId))[0];
  }

  /**
   * A document a step makes (the supply contract): version n+1 of the case's document under `docKey` each time
   * the step runs. With an idempotency key (the job key) a repeated delivery returns the first result before
   * anything is produced or stored again.
   */
  async keepGenerated(
    caseNo: string,
    doc: GeneratedDocument,
    produce: (version: number) => Promise<FileUpload>,
    ctx: ChangeContext,
  ): Promise<{ documentId: number; versionId: number; version: number; storeDocumentId: string }> {
    const operation = 'cases.documentGenerated';
    if (ctx.idempotencyKey) {
      const done = await this.knex('cis.idempotency_keys')
        .where({ key: ctx.idempotencyKey, operation })
        .first('result');
      if (done) return done.result;
    }
    const c = await caseOf(this.knex, caseNo);
    // the version it will most likely be (steps of one case run one at a time), for the document to print
    const top = await this.knex('cis.case_document_versions as v')
      .join('cis.case_documents as d', 'd.id', 'v.case_document_id')
      .where({ 'd.case_id': c.id, 'd.doc_key': doc.docKey })
      .max('v.version as last')
      .first();
    const file = await produce(Number(top?.last ?? 0) + 1);
    const contentType = checkFile(doc.kind, file, this.maxBytes);
    await this.scan(file);
    const stored = await this.store.put(
      { fileName: file.fileName, contentType, bytes: file.bytes },
      { caseNo: c.caseNo, kind: doc.kind, processInstanceKey: c.pik },
    );
    return this.recorded(stored, () =>
      inTransaction(this.knex, operation, ctx, casesRefusals, async (trx, cx) => ({
        ...(await appendVersion(
          trx,
          {
            caseId: c.id,
            caseNo: c.caseNo,
            docKey: doc.docKey,
            kind: doc.kind,
            title: doc.title,
            fileName: file.fileName,
            contentType,
            size: file.bytes.length,
            step: doc.step,
            stored,
          },
          cx,
        )),
        storeDocumentId: stored.storeDocumentId,
      })),
    );
  }

  /** Records a stored file's version; when that fails, the file leaves the store again (best effort, logged by the caller's error). */
  private async recorded<T>(stored: StoredFile, record: () => Promise<T>): Promise<T> {
    try {
      return await record();
    } catch (err) {
      await this.store.discard(stored).catch(() => {}); // the recording's failure is the one to report
      throw err;
    }
  }

  /** One version's bytes and what to serve them as. */
  async content(caseNo: string, versionId: number, hidden: CaseDocumentKind[] = []) {
    const c = await caseOf(this.knex, caseNo);
    const v = await findVersion(this.knex, c.id, c.caseNo, versionId);
    // a hidden kind is answered as if it did not exist: its existence is personal data too
    if (hidden.includes(v.kind)) throw notFound(`document version of case ${c.caseNo}:`, versionId);
    return { ...v, caseNo: c.caseNo, bytes: await this.store.get(v) };
  }

  private async scan(file: FileUpload): Promise<void> {
    const verdict = await this.scanner.scan(file);
    if (!verdict.clean) throw fileRefused('file_infected', `refused by the virus scan (${verdict.threat})`);
  }
}
