import multer from '@koa/multer';
import type Koa from 'koa';
import type { Readable } from 'node:stream';
import type { RouteModule } from '../route-module.js';
import { deploy } from '../../runtime/commands/deploy.js';
import { actorOf } from '../auth.js';
import { requirePermission } from '../authorize.js';
import { MAX_BODY } from '../body.js';
import { invalidArgument, Rejection } from '../../runtime/errors.js';
import { tenantId as tenantSchema } from '../schemas.js';

const tooLarge = () =>
  new Rejection(413, 'Payload Too Large', `The deployment exceeds the maximum size of ${MAX_BODY} bytes`);

/**
 * Files are kept in memory, so the whole deployment — every file together, not each one — is held to Camunda's
 * 4 MB message limit while it streams in (a request without Content-Length is counted as it arrives).
 */
const boundedMemory: multer.StorageEngine = {
  _handleFile(req, file, cb) {
    const state = req as unknown as { deploymentBytes?: number };
    const chunks: Buffer[] = [];
    const stream = (file as unknown as { stream: Readable }).stream;
    stream.on('data', (chunk: Buffer) => {
      state.deploymentBytes = (state.deploymentBytes ?? 0) + chunk.length;
      if (state.deploymentBytes > MAX_BODY) {
        stream.destroy();
        return cb(tooLarge());
      }
      chunks.push(chunk);
    });
    stream.on('error', (err) => cb(err));
    stream.on('end', () => cb(null, { buffer: Buffer.concat(chunks) } as never));
  },
  _removeFile(_req, _file, cb) {
    cb(null);
  },
};

const upload = multer({ storage: boundedMemory, limits: { files: 100, fields: 20, fieldSize: 1024 } });

const MULTER_LIMITS: Record<string, string> = {
  LIMIT_FILE_COUNT: 'too many files (at most 100)',
  LIMIT_FIELD_COUNT: 'too many form fields',
  LIMIT_FIELD_VALUE: 'a form field is too long',
  LIMIT_PART_COUNT: 'too many parts',
  LIMIT_UNEXPECTED_FILE: 'unexpected file field',
};

/** Checks the permission and the declared size before a byte of the upload is read. */
const guard: Koa.Middleware = async (ctx, next) => {
  await requirePermission(ctx, 'RESOURCE', 'CREATE');
  if (Number(ctx.get('content-length') || 0) > MAX_BODY) throw tooLarge();
  if (!ctx.is('multipart/form-data'))
    throw new Rejection(415, 'Unsupported Media Type', 'A deployment is sent as multipart/form-data');
  try {
    await upload.any()(ctx, next);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && MULTER_LIMITS[code]) throw invalidArgument(`Deployment rejected: ${MULTER_LIMITS[code]}`);
    throw err;
  }
};

export const deploymentRoutes: RouteModule = (router, rt) => {
  router.post('/deployments', guard, async (ctx: Koa.Context) => {
    const files = ((ctx.request as unknown as { files?: unknown }).files ?? []) as Array<{
      fieldname: string;
      originalname: string;
      buffer: Buffer;
    }>;
    const resources = files
      .filter((f) => f.fieldname === 'resources')
      .map((f) => ({ name: f.originalname, content: f.buffer }));
    if (!resources.length)
      throw invalidArgument(
        "Expected to deploy at least one resource in the multipart field 'resources', but none given",
      );
    const body = ((ctx.request as unknown as { body?: unknown }).body ?? {}) as { tenantId?: string };
    const tenantId = body.tenantId ? tenantSchema.parse(body.tenantId) : '<default>';
    ctx.body = await deploy(rt, resources, tenantId, actorOf(ctx));
  });
};
