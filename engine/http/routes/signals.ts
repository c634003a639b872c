import { z } from 'zod';
import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { broadcastSignal } from '../../runtime/events/signals.js';
import { requirePermission } from '../authorize.js';

const broadcast = z.object({
  signalName: z.string().min(1),
  variables: s.variables.optional(),
  tenantId: s.tenantId.optional(),
});

export const signalRoutes: RouteModule = (router, rt) => {
  router.post('/signals/broadcast', async (ctx) => {
    // A broadcast may start and move instances of any process that listens: a wildcard update right.
    await requirePermission(ctx, 'PROCESS_DEFINITION', 'UPDATE_PROCESS_INSTANCE');
    const req = broadcast.parse(await jsonBody(ctx));
    ctx.body = await broadcastSignal(rt, req.signalName, req.variables ?? {}, req.tenantId ?? '<default>');
  });
};
