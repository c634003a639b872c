import multer from '@koa/multer';
import type Koa from 'koa';
import type { RouteModule } from '../router.js';
import { deploy } from '../../runtime/commands/deploy.js';
import { actorOf } from '../auth.js';
import { invalidArgument } from '../../runtime/errors.js';
import { tenantId as tenantSchema } from '../schemas.js';

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 4 * 1024 * 1024, files: 100 } });

export const deploymentRoutes: RouteModule = (router, rt) => {
  router.post('/deployments', upload.any(), async (ctx: Koa.Context) => {
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
