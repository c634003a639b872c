import type { CaseDocumentKind } from '../../contracts/case-documents.js';
import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import multer from 'multer';
import { DEFAULT_MAX_DOCUMENT_BYTES } from '../../domain/cases/documents/checks.js';
import { CaseDocumentsService, type VirusScanner } from '../../domain/cases/documents/service.js';
import { DomainError } from '../../domain/errors.js';
import { engineDocumentStore } from '../../documents/cases/engine-store.js';
import { requireUser } from '../auth/routes.js';
import { CASE_INTAKE, CASE_PERSONAL_DATA, CASE_READERS } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import type { EngineApi } from '../camunda/engine-api.js';
import { engineProblem } from '../camunda/errors.js';
import { problem } from '../http/problem.js';

const me = (ctx: Koa.Context) => ctx.state.user as User;

export interface CaseDocumentsRouterOptions {
  /** Largest file (bytes); DOCUMENT_MAX_SIZE_MB's default, the engine's own limit, when not given. */
  maxBytes?: number;
  /** Called before a file is stored; scans nothing by default. */
  scanner?: VirusScanner;
}

const tooLarge = (maxBytes: number) =>
  problem(422, 'Unprocessable Content', `file: the file is larger than ${+(maxBytes / 1024 / 1024).toFixed(1)} MB`, {
    field: 'file',
    code: 'file_too_large',
  });

/**
 * Reads one multipart file (field `file`) and the form's text fields into memory. Reading stops at the limit, so a
 * huge upload costs no more than the limit; multer's refusals become 422 naming the field.
 */
const fileUpload =
  (maxBytes: number): Koa.Middleware =>
  async (ctx, next) => {
    const mw = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 4096 },
    }).single('file');
    try {
      await new Promise<void>((resolve, reject) =>
        mw(ctx.req as never, ctx.res as never, (err: unknown) => (err ? reject(err) : resolve())),
      );
    } catch (err) {
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') throw tooLarge(maxBytes);
        const field = err.field ?? 'file';
        throw problem(422, 'Unprocessable Content', `${field}: ${err.message}`, { field, code: 'invalid' });
      }
      throw err;
    }
    await next();
  };

/** RFC 6266: an ASCII fallback and the UTF-8 name (Chinese file names). */
function disposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * /api/business-cases/:caseNo/documents: a case's files with their versions. Uploads go through the official
 * client into the engine's document store (one store for the engine's documents and the cases'), as the
 * signed-in person, so the store's record names them; the case keeps the reference and what the file is.
 * Downloads serve the type read from the content, inline for images and PDF (the browser previews them).
 */
export function caseDocumentsRouter(knex: Knex, engine: EngineApi, opts: CaseDocumentsRouterOptions = {}): Router {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  const router = new Router({ prefix: '/api/business-cases/:caseNo/documents' });
  const documents = (ctx: Koa.Context) =>
    new CaseDocumentsService(
      knex,
      engineDocumentStore(engine.clients.forUser(me(ctx).username), engine.clients.service?.()),
      {
        maxBytes,
        scanner: opts.scanner,
      },
    );

  // Scanned IDs are personal data: only the roles that see the applicant's ID number see them (or know of them).
  const hidden = (ctx: Koa.Context): CaseDocumentKind[] =>
    me(ctx).roles.some((r) => CASE_PERSONAL_DATA.includes(r)) ? [] : ['id_scan'];

  router.get('/', requireUser(...CASE_READERS), async (ctx) => {
    ctx.body = { items: await documents(ctx).list(ctx.params.caseNo, hidden(ctx)) };
  });

  // Auditors read only; the roles that work on cases upload.
  router.post('/', requireUser(...CASE_INTAKE), fileUpload(maxBytes), async (ctx) => {
    const req = ctx.req as unknown as { file?: Express.Multer.File; body?: Record<string, unknown> };
    const file = req.file && {
      // multer reads the name as latin1; browsers send UTF-8 (Chinese file names).
      fileName: Buffer.from(req.file.originalname, 'latin1').toString('utf8'),
      bytes: req.file.buffer,
    };
    try {
      ctx.body = await documents(ctx).upload(ctx.params.caseNo, req.body ?? {}, file, { actor: me(ctx).username });
    } catch (err) {
      if (err instanceof DomainError) throw err;
      // the engine's own limit (DOCUMENT_MAX_SIZE_MB) when it is below this router's
      if ((err as { status?: number }).status === 413) throw tooLarge(maxBytes);
      throw engineProblem(err);
    }
    ctx.status = 201;
  });

  router.get('/versions/:versionId', requireUser(...CASE_READERS), async (ctx) => {
    let file;
    try {
      file = await documents(ctx).content(ctx.params.caseNo, Number(ctx.params.versionId), hidden(ctx));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw engineProblem(err);
    }
    const inline = file.previewable && ctx.query.download === undefined;
    ctx.type = file.contentType;
    ctx.set('Content-Disposition', disposition(inline ? 'inline' : 'attachment', file.fileName));
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.body = Buffer.from(file.bytes);
  });

  return router;
}
