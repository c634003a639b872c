import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { actorOf } from '../auth.js';
import { requireOnProcessOf } from '../authorize.js';
import { resolveIncident } from '../../runtime/commands/incidents.js';

export const incidentRoutes: RouteModule = (router, rt) => {
  router.post('/incidents/:key/resolution', async (ctx) => {
    s.operationOnly.parse(await jsonBody(ctx));
    await requireOnProcessOf(ctx, 'incident', ctx.params.key, 'UPDATE_PROCESS_INSTANCE');
    await resolveIncident(rt, ctx.params.key, actorOf(ctx));
    ctx.status = 204;
  });
};
