import type { RouteModule } from '../router.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { actorOf } from '../auth.js';
import { deleteResource } from '../../runtime/commands/resources.js';

export const resourceRoutes: RouteModule = (router, rt) => {
  router.post('/resources/:key/deletion', async (ctx) => {
    s.operationOnly.parse(await jsonBody(ctx));
    await deleteResource(rt, ctx.params.key, actorOf(ctx));
    ctx.status = 200;
    ctx.body = '';
  });
};
