import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DocumentContentExists,
  DocumentTooLarge,
  OperationNotSupported,
  type DocumentStore,
  type StoredContent,
} from './store.js';

/**
 * Camunda's local storage document store, in a folder of the data directory: one file per document, named by
 * the SHA-256 of its id (ids are the client's strings; a hash cannot climb out of the folder). A file is
 * written under a temporary name and linked into place only when complete, so a crash leaves a stray
 * temporary file at worst, never half a document; the link fails when the name is taken, so two uploads to one
 * id cannot overwrite each other.
 */
export class FilesystemDocumentStore implements DocumentStore {
  readonly storeId: string;

  constructor(
    readonly dir: string,
    storeId = 'local-storage',
  ) {
    this.storeId = storeId;
  }

  private file(documentId: string): string {
    return path.join(this.dir, createHash('sha256').update(documentId).digest('hex'));
  }

  async put(documentId: string, content: Readable, maxBytes: number): Promise<StoredContent> {
    await fs.mkdir(this.dir, { recursive: true });
    const temp = path.join(this.dir, `.upload-${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new DocumentTooLarge(maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(content, count, createWriteStream(temp, { flags: 'wx' }));
      await fs.link(temp, this.file(documentId));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new DocumentContentExists(documentId);
      throw e;
    } finally {
      await fs.rm(temp, { force: true });
    }
    return { size, contentHash: hash.digest('hex') };
  }

  async get(documentId: string): Promise<Readable | null> {
    const handle = await fs.open(this.file(documentId), 'r').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    return handle ? handle.createReadStream() : null;
  }

  async stat(documentId: string): Promise<{ size: number } | null> {
    try {
      return { size: (await fs.stat(this.file(documentId))).size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(documentId: string): Promise<boolean> {
    try {
      await fs.unlink(this.file(documentId));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  createLink(): Promise<never> {
    // Camunda's local storage store answers exactly this (OperationNotSupported).
    return Promise.reject(
      new OperationNotSupported('The local storage document store does not support creating links'),
    );
  }
}
