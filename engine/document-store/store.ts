import type { Readable } from 'node:stream';

/**
 * Where document contents live (Camunda's document store: its local storage, AWS S3, GCP, Azure). The store
 * keeps bytes only; what a document is (name, type, expiry, owner process) is the engine's metadata row
 * (engine/document-store/metadata.ts), so a store needs no index and any blob service can be one.
 *
 * Ids are Camunda's document ids: any string the client chose, or a UUID. A store must not trust them as paths.
 */
export interface DocumentStore {
  /** The store's id, as `storeId` in Camunda's document references. */
  readonly storeId: string;
  /**
   * Streams the content in, hashing it (SHA-256, hex, as Camunda's stores do) and counting it. More than
   * `maxBytes` stops the upload and leaves nothing behind (DocumentTooLarge); an id that already holds content
   * is refused (DocumentContentExists), never overwritten.
   */
  put(documentId: string, content: Readable, maxBytes: number): Promise<StoredContent>;
  /** The content, or null when the store has none for the id. */
  get(documentId: string): Promise<Readable | null>;
  /** Size of the stored content, or null when there is none. */
  stat(documentId: string): Promise<{ size: number } | null>;
  /** Removes the content; false when there was none. */
  delete(documentId: string): Promise<boolean>;
  /**
   * A time-limited link to the content, for stores that can sign one (S3, GCP, Azure). Camunda's local and
   * in-memory stores cannot: they throw OperationNotSupported, and so may any store.
   */
  createLink(documentId: string, timeToLiveMs: number, now: Date): Promise<{ url: string; expiresAt: Date }>;
}

export interface StoredContent {
  size: number;
  /** SHA-256 of the content, lower-case hex. */
  contentHash: string;
}

export class DocumentTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`Maximum upload size exceeded (${maxBytes} bytes)`);
  }
}

export class DocumentContentExists extends Error {
  constructor(readonly documentId: string) {
    super(`Document with id '${documentId}' already exists`);
  }
}

export class OperationNotSupported extends Error {}
