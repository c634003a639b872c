import multer from '@koa/multer';
import type Koa from 'koa';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { Documents } from '../../document-store/documents.js';
import { documentReference, jsonPart, parseMetadata } from '../../document-store/reference.js';
import { invalidArgument, Rejection } from '../../runtime/errors.js';
import { actorOf } from '../auth.js';
import { requirePermission } from '../authorize.js';
import { jsonBody } from '../body.js';
import type { RouteModule } from '../route-module.js';

/** What the upload storage below puts on `ctx.request.files`: a stored document, a JSON part, or a failure. */
interface UploadedPart {
  fieldname: string;
  originalname?: string;
  mimetype?: string;
  stored?: { documentId: string; size: number; contentHash: string };
  text?: string;
  failure?: string;
}

const CONTENT_FIELDS = new Set(['file', 'files']);
const JSON_FIELDS = new Set(['metadata', 'metadataList']);
const MAX_JSON_PART = 1024 * 1024;

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

async function receive(
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
async function discard(docs: Documents, parts: UploadedPart[]) {
  for (const p of parts) if (p.stored) await docs.store.delete(p.stored.documentId);
}

const linkRequest = z
  .object({
    timeToLive: z
      .union([z.number().int(), z.string().regex(/^-?\d+$/)])
      .transform(Number)
      .refine((v) => v > 0, 'must be greater than 0')
      .optional(),
  })
  .nullable();

/** Query parameters are strings once; a repeated one is refused rather than guessed. */
function query(ctx: Koa.Context, name: string): string | undefined {
  const v = ctx.query[name];
  if (Array.isArray(v)) throw invalidArgument(`Request parameter [${name}] is given more than once`);
  return v;
}

/**
 * /v2/documents (Camunda 8.8): upload one or many, read the content (with the content hash of the reference),
 * delete, and ask for a link. Permissions are Camunda's DOCUMENT resource type (CREATE, READ, DELETE), checked
 * before an upload is read. Without a document store (createEngine option `documents`) these endpoints do not
 * exist.
 */
export const documentRoutes: RouteModule = (router, rt, opts) => {
  if (!opts.documents) return;
  const docs = new Documents(opts.documents.store, rt.store.pool, opts.documents.maxBytes, () => rt.clock.now());

  router.post('/documents', async (ctx) => {
    await requirePermission(ctx, 'DOCUMENT', 'CREATE');
    docs.checkStore(query(ctx, 'storeId'));
    const given = query(ctx, 'documentId');
    if (given !== undefined && (!given || given.length > 1024 || given.includes('\0')))
      throw invalidArgument('Request parameter [documentId] is invalid: expected 1 to 1024 characters');
    if (given !== undefined && (await docs.exists(given)))
      throw new Rejection(409, 'ALREADY_EXISTS', `Document with id '${given}' already exists`);
    if (Number(ctx.get('content-length') || 0) > docs.maxBytes + MAX_JSON_PART)
      throw new Rejection(413, 'Payload Too Large', `Maximum upload size exceeded (${docs.maxBytes} bytes)`);
    const documentId = given ?? docs.newId();
    const parts = await receive(ctx, docs, () => documentId, false);
    try {
      const file = parts.find((p) => p.fieldname === 'file' && p.stored);
      if (!file?.stored) throw new Rejection(400, 'Bad Request', "Required part 'file' is not present.");
      const metadataPart = parts.find((p) => p.fieldname === 'metadata');
      const metadata = parseMetadata(metadataPart ? jsonPart(metadataPart.text ?? '', 'metadata') : {}, 'metadata');
      const row = await docs.record(documentId, file.stored, metadata, file, actorOf(ctx));
      ctx.status = 201;
      ctx.body = documentReference(row);
    } catch (e) {
      await discard(docs, parts);
      throw e;
    }
  });

  router.post('/documents/batch', async (ctx) => {
    await requirePermission(ctx, 'DOCUMENT', 'CREATE');
    docs.checkStore(query(ctx, 'storeId'));
    const parts = await receive(ctx, docs, () => docs.newId(), true);
    const created: Array<ReturnType<typeof documentReference>> = [];
    const failed: Array<{ fileName?: string; detail: string }> = [];
    try {
      const files = parts.filter((p) => p.fieldname === 'files' && (p.stored || p.failure));
      if (!files.length) throw new Rejection(400, 'Bad Request', "Required part 'files' is not present.");
      const metadataList = metadataListOf(parts);
      if (metadataList && metadataList.length !== files.length)
        throw invalidArgument(
          `Request property [metadataList] is invalid: it has ${metadataList.length} entries for ${files.length} files`,
        );
      const metadata = files.map((_, i) => parseMetadata(metadataList?.[i] ?? {}, `metadataList.${i}`));
      for (const [i, file] of files.entries()) {
        if (!file.stored) {
          failed.push({ fileName: metadata[i].fileName ?? file.originalname, detail: file.failure ?? 'failed' });
          continue;
        }
        created.push(
          documentReference(await docs.record(file.stored.documentId, file.stored, metadata[i], file, actorOf(ctx))),
        );
      }
    } catch (e) {
      await discard(
        docs,
        parts.filter((p) => !created.some((c) => c.documentId === p.stored?.documentId)),
      );
      throw e;
    }
    ctx.status = failed.length ? 207 : 201;
    ctx.body = { createdDocuments: created, failedDocuments: failed };
  });

  router.get('/documents/:documentId', async (ctx) => {
    await requirePermission(ctx, 'DOCUMENT', 'READ');
    docs.checkStore(query(ctx, 'storeId'));
    const row = await docs.readable(ctx.params.documentId, query(ctx, 'contentHash'));
    ctx.body = await docs.content(row);
    ctx.type = row.contentType ?? 'application/octet-stream';
    ctx.length = row.size;
  });

  router.delete('/documents/:documentId', async (ctx) => {
    await requirePermission(ctx, 'DOCUMENT', 'DELETE');
    docs.checkStore(query(ctx, 'storeId'));
    await docs.delete(ctx.params.documentId);
    ctx.status = 204;
  });

  router.post('/documents/:documentId/links', async (ctx) => {
    await requirePermission(ctx, 'DOCUMENT', 'READ');
    docs.checkStore(query(ctx, 'storeId'));
    const req = linkRequest.parse(await jsonBody(ctx));
    const row = await docs.readable(ctx.params.documentId, query(ctx, 'contentHash'));
    ctx.body = await docs.link(row, req?.timeToLive ?? 3_600_000);
  });
};

/** `metadataList`: one JSON array, or one JSON object per part (what the official client sends). */
function metadataListOf(parts: UploadedPart[]): unknown[] | undefined {
  const texts = parts.filter((p) => p.fieldname === 'metadataList').map((p) => p.text ?? '');
  if (!texts.length) return undefined;
  const values = texts.map((t) => jsonPart(t, 'metadataList'));
  return values.length === 1 && Array.isArray(values[0]) ? values[0] : values;
}
