import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import { Rejection, invalidArgument, notFound } from '../runtime/errors.js';
import { deleteDocumentRow, findDocument, insertDocument, type DocumentRow } from './metadata.js';
import type { DocumentMetadataInput } from './reference.js';
import { DocumentContentExists, DocumentTooLarge, OperationNotSupported, type DocumentStore } from './store.js';

/** The upload limit when the host sets none (Aquaflow's DOCUMENT_MAX_SIZE_MB defaults to the same). */
export const DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export const alreadyExists = (documentId: string) =>
  new Rejection(409, 'ALREADY_EXISTS', `Document with id '${documentId}' already exists`);
export const documentNotFound = (documentId: string) => notFound(`Document with id '${documentId}' not found`);
export const tooLarge = (maxBytes: number) =>
  new Rejection(413, 'Payload Too Large', `Maximum upload size exceeded (${maxBytes} bytes)`);

/**
 * The documents API's rules over one store and the metadata rows (Camunda 8.8's DocumentServices with its
 * error mapping): ids, the store id, expiry, the content hash a reader must present, links.
 */
export class Documents {
  constructor(
    readonly store: DocumentStore,
    private readonly pool: pg.Pool,
    readonly maxBytes: number,
    private readonly now: () => Date,
  ) {}

  /** Camunda has one store per cluster; naming another is INVALID_ARGUMENT. */
  checkStore(storeId: string | undefined): void {
    if (storeId !== undefined && storeId !== this.store.storeId)
      throw invalidArgument(`Document store with id '${storeId}' does not exist`);
  }

  newId(): string {
    return randomUUID();
  }

  async exists(documentId: string): Promise<boolean> {
    return (await findDocument(this.pool, documentId)) !== null;
  }

  /** Streams one upload into the store; too large or a taken id become Camunda's problems. */
  async putContent(documentId: string, content: Readable) {
    try {
      return await this.store.put(documentId, content, this.maxBytes);
    } catch (e) {
      if (e instanceof DocumentTooLarge) throw tooLarge(this.maxBytes);
      if (e instanceof DocumentContentExists) throw alreadyExists(documentId);
      throw e;
    }
  }

  /** Records an uploaded document; its content is already in the store (and is removed if the id was taken). */
  async record(
    documentId: string,
    stored: { size: number; contentHash: string },
    metadata: DocumentMetadataInput,
    part: { mimetype?: string; originalname?: string },
    actor: string | null,
  ): Promise<DocumentRow> {
    const row: DocumentRow = {
      documentId,
      storeId: this.store.storeId,
      contentHash: stored.contentHash,
      contentType: metadata.contentType ?? part.mimetype ?? null,
      fileName: metadata.fileName ?? part.originalname ?? null,
      size: stored.size,
      expiresAt: metadata.expiresAt ? new Date(metadata.expiresAt) : null,
      processDefinitionId: metadata.processDefinitionId ?? null,
      processInstanceKey: metadata.processInstanceKey ?? null,
      customProperties: metadata.customProperties ?? {},
      createdAt: this.now(),
      createdBy: actor,
    };
    if (!(await insertDocument(this.pool, row))) throw alreadyExists(documentId);
    return row;
  }

  /**
   * A document a reader may see: known, not expired (an expired document is gone, as a cloud bucket's lifecycle
   * rule removes it), and the content hash of its reference presented (Camunda refuses a read without it).
   */
  async readable(documentId: string, contentHash: string | undefined): Promise<DocumentRow> {
    const row = await findDocument(this.pool, documentId);
    if (!row || (row.expiresAt !== null && row.expiresAt <= this.now())) throw documentNotFound(documentId);
    if (!contentHash || !contentHash.trim())
      throw invalidArgument(`No document hash provided for document ${documentId}`);
    if (contentHash !== row.contentHash)
      throw invalidArgument(`Document hash for document ${documentId} doesn't match the provided hash ${contentHash}`);
    return row;
  }

  async content(row: DocumentRow): Promise<Readable> {
    const stream = await this.store.get(row.documentId);
    if (!stream) throw documentNotFound(row.documentId);
    return stream;
  }

  async delete(documentId: string): Promise<void> {
    if (!(await deleteDocumentRow(this.pool, documentId))) throw documentNotFound(documentId);
    await this.store.delete(documentId);
  }

  /** A link from the store; a store that cannot sign links is refused as Camunda refuses it (403 FORBIDDEN). */
  async link(row: DocumentRow, timeToLiveMs: number) {
    try {
      const link = await this.store.createLink(row.documentId, timeToLiveMs, this.now());
      return { url: link.url, expiresAt: link.expiresAt.toISOString() };
    } catch (e) {
      if (e instanceof OperationNotSupported) throw new Rejection(403, 'FORBIDDEN', e.message);
      throw e;
    }
  }
}
