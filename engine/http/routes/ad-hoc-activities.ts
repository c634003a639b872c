import { z } from 'zod';
import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { actorOf } from '../auth.js';
import { requireOnProcessOf } from '../authorize.js';
import { activateAdHocActivities } from '../../runtime/commands/ad-hoc-activities.js';

/** AdHocSubProcessActivateActivitiesInstruction. */
const activationInstruction = z.object({
  elements: z.array(z.object({ elementId: z.string().min(1), variables: s.variables.optional() })),
  cancelRemainingInstances: z.boolean().optional(),
});

/** Activating elements of an ad-hoc sub-process: UPDATE_PROCESS_INSTANCE on its process, as Zeebe checks. */
export const adHocActivityRoutes: RouteModule = (router, rt) => {
  router.post('/element-instances/ad-hoc-activities/:key/activation', async (ctx) => {
    await requireOnProcessOf(ctx, 'element_instance', ctx.params.key, 'UPDATE_PROCESS_INSTANCE');
    const req = activationInstruction.parse(await jsonBody(ctx));
    await activateAdHocActivities(rt, ctx.params.key, req, actorOf(ctx));
    ctx.status = 204;
  });
};
