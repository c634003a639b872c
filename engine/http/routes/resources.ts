import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { actorOf } from '../auth.js';
import { deleteResource } from '../../runtime/commands/resources.js';
import { formByKey, processDefinitionByKey } from '../../store/definitions.js';
import { requirePermission } from '../authorize.js';
import { liveRequirementsByKey } from '../../store/decisions.js';

export const resourceRoutes: RouteModule = (router, rt) => {
  router.post('/resources/:key/deletion', async (ctx) => {
    s.operationOnly.parse(await jsonBody(ctx));
    // Camunda names the permission after what the key is: a process, a form, a DRG, or any other resource.
    const key = ctx.params.key;
    const known = /^\d{1,19}$/.test(key);
    const permission =
      known && (await processDefinitionByKey(rt.store.pool, key))
        ? 'DELETE_PROCESS'
        : known && (await formByKey(rt.store.pool, key))
          ? 'DELETE_FORM'
          : known && (await liveRequirementsByKey(rt.store.pool, key))
            ? 'DELETE_DRD'
            : 'DELETE_RESOURCE';
    await requirePermission(ctx, 'RESOURCE', permission);
    await deleteResource(rt, ctx.params.key, actorOf(ctx));
    ctx.status = 200;
    ctx.body = '';
  });
};
