import type Koa from 'koa';
import { z } from 'zod';
import { Documents } from '../../document-store/documents.js';
import { documentReference, jsonPart, parseMetadata } from '../../document-store/reference.js';
import { invalidArgument, Rejection } from '../../runtime/errors.js';
import { actorOf } from '../auth.js';
import { requirePermission } from '../authorize.js';
import { jsonBody } from '../body.js';
import { discard, MAX_JSON_PART, receive, type UploadedPart } from '../document-upload.js';
import type { RouteModule } from '../route-module.js';

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
