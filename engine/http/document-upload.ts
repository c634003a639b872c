import multer from '@koa/multer';
import type Koa from 'koa';
import type { Readable } from 'node:stream';
import type { Documents } from '../document-store/documents.js';
import { invalidArgument, Rejection } from '../runtime/errors.js';

/*
 * Multipart uploads of /v2/documents: content parts stream straight into the document store, JSON parts
 * (metadata, metadataList) are read as text. The routes (routes/documents.ts) decide what the parts mean.
 */

/** What the upload storage below puts on `ctx.request.files`: a stored document, a JSON part, or a failure. */
export interface UploadedPart {
  fieldname: string;
  originalname?: string;
  mimetype?: string;
  stored?: { documentId: string; size: number; contentHash: string };
  text?: string;
  failure?: string;
}

const CONTENT_FIELDS = new Set(['file', 'files']);
const JSON_FIELDS = new Set(['metadata', 'metadataList']);
export const MAX_JSON_PART = 1024 * 1024;

function readText(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_JSON_PART) return stream.destroy(invalidArgument('A metadata part exceeds 1 MB'));
      chunks.push(c);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/**
 * Streams each content part straight into the document store (never into memory) under the id the request
 * gives (single upload) or a new one (batch). In a batch a store failure of one file is that file's failure
 * (Camunda's 207); too large ends the request (413), as Spring's multipart limit does. On any abort multer asks
 * to remove what was stored already.
 */
function documentStorage(docs: Documents, idFor: () => string, batch: boolean): multer.StorageEngine {
  return {
    _handleFile(_req, file, cb) {
      const part = file as { fieldname: string; stream: Readable; originalname?: string; mimetype?: string };
      const base = { fieldname: part.fieldname, originalname: part.originalname, mimetype: part.mimetype };
      if (JSON_FIELDS.has(part.fieldname))
        return void readText(part.stream).then((text) => cb(null, { ...base, text }), cb);
      if (!CONTENT_FIELDS.has(part.fieldname)) {
        part.stream.resume();
        return void part.stream.on('end', () => cb(null, base));
      }
      const documentId = idFor();
      docs.putContent(documentId, part.stream).then(
        (stored) => cb(null, { ...base, stored: { documentId, ...stored } }),
        (e: unknown) => {
          if (!batch || (e instanceof Rejection && e.status === 413)) return cb(e as Error);
          part.stream.resume();
          cb(null, { ...base, failure: e instanceof Error ? e.message : String(e) });
        },
      );
    },
    _removeFile(_req, file, cb) {
      const stored = (file as unknown as UploadedPart).stored;
      if (!stored) return cb(null);
      docs.store.delete(stored.documentId).then(
        () => cb(null),
        (e: Error) => cb(e),
      );
    },
  };
}

const MULTER_LIMITS: Record<string, string> = {
  LIMIT_FILE_COUNT: 'too many files',
  LIMIT_FIELD_COUNT: 'too many form fields',
  LIMIT_FIELD_VALUE: 'a form field is too long',
  LIMIT_PART_COUNT: 'too many parts',
};

export async function receive(
  ctx: Koa.Context,
  docs: Documents,
  idFor: () => string,
  batch: boolean,
): Promise<UploadedPart[]> {
  if (!ctx.is('multipart/form-data'))
    throw new Rejection(415, 'Unsupported Media Type', `Content-Type '${ctx.request.type}' is not supported`);
  const upload = multer({
    storage: documentStorage(docs, idFor, batch),
    limits: { files: batch ? 200 : 2, fields: 200, fieldSize: MAX_JSON_PART },
  });
  try {
    await upload.any()(ctx, async () => {});
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && MULTER_LIMITS[code]) throw invalidArgument(`Upload rejected: ${MULTER_LIMITS[code]}`);
    throw err;
  }
  const parts = ((ctx.request as unknown as { files?: UploadedPart[] }).files ?? []) as UploadedPart[];
  // multer puts text fields on the body; JSON may come as a text field or as a part with a file name.
  const fields = ((ctx.request as unknown as { body?: Record<string, string | string[]> }).body ?? {}) as Record<
    string,
    string | string[]
  >;
  for (const [fieldname, value] of Object.entries(fields))
    for (const text of Array.isArray(value) ? value : [value]) parts.push({ fieldname, text });
  return parts;
}

/** Removes what was stored when the request is refused after the upload (bad metadata, a taken id). */
export async function discard(docs: Documents, parts: UploadedPart[]) {
  for (const p of parts) if (p.stored) await docs.store.delete(p.stored.documentId);
}
