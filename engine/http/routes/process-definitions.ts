import type { RouteModule } from '../route-module.js';
import { processDefinitionByKey } from '../../store/definitions.js';
import { notFound } from '../../runtime/errors.js';
import { requireReadable } from '../authorize.js';

export const processDefinitionRoutes: RouteModule = (router, rt) => {
  router.get('/process-definitions/:key/xml', async (ctx) => {
    const key = ctx.params.key;
    const def = /^\d{1,19}$/.test(key) ? await processDefinitionByKey(rt.store.pool, key) : undefined;
    if (!def) throw notFound(`Process definition with key '${key}' not found`);
    await requireReadable(ctx, 'READ_PROCESS_DEFINITION', def.bpmn_process_id);
    ctx.type = 'text/xml';
    ctx.body = def.resource;
  });
};
