import { z } from 'zod';
import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { actorOf } from '../auth.js';
import { requireOnProcessOf } from '../authorize.js';
import { setVariables } from '../../runtime/commands/variables.js';

const setVariableRequest = z.object({
  variables: s.variables,
  local: z.boolean().optional(),
  operationReference: s.int64.optional(),
});

export const elementInstanceRoutes: RouteModule = (router, rt) => {
  router.put('/element-instances/:key/variables', async (ctx) => {
    const req = setVariableRequest.parse(await jsonBody(ctx));
    await requireOnProcessOf(ctx, 'element_instance', ctx.params.key, 'UPDATE_PROCESS_INSTANCE');
    await setVariables(rt, ctx.params.key, req.variables, req.local ?? false, actorOf(ctx));
    ctx.status = 204;
  });
};
