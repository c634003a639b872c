import { z } from 'zod';
import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { actorOf } from '../auth.js';
import { requireOnProcessOf } from '../authorize.js';
import { modifyProcessInstance } from '../../runtime/commands/modification.js';

// Camunda 8.8's ProcessInstanceModificationInstruction; an ancestor key "-1" (the client's default) means none.
const modification = z.object({
  operationReference: s.int64.optional(),
  activateInstructions: z
    .array(
      z.object({
        elementId: z.string().min(1),
        ancestorElementInstanceKey: z
          .union([z.string().regex(/^-?\d{1,19}$/), z.number().int()])
          .transform(String)
          .optional(),
        variableInstructions: z.array(z.object({ variables: s.variables, scopeId: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  terminateInstructions: z.array(z.object({ elementInstanceKey: s.key })).optional(),
});

export const processInstanceModificationRoutes: RouteModule = (router, rt) => {
  router.post('/process-instances/:key/modification', async (ctx) => {
    const req = modification.parse(await jsonBody(ctx));
    await requireOnProcessOf(ctx, 'process_instance', ctx.params.key, 'MODIFY_PROCESS_INSTANCE');
    await modifyProcessInstance(rt, ctx.params.key, req, actorOf(ctx));
    ctx.status = 204;
  });
};
