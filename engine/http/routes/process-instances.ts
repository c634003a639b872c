import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { actorOf } from '../auth.js';
import { requireOnProcess, requireOnProcessOf } from '../authorize.js';
import { cancelProcessInstance, createProcessInstance } from '../../runtime/commands/process-instances.js';
import { invalidArgument } from '../../runtime/errors.js';
import { MAX_LONG_POLL_MS } from './jobs.js';

export const processInstanceRoutes: RouteModule = (router, rt) => {
  router.post('/process-instances', async (ctx) => {
    const req = s.createProcessInstance.parse(await jsonBody(ctx));
    if (!req.processDefinitionKey && !req.processDefinitionId)
      throw invalidArgument('At least one of [processDefinitionId, processDefinitionKey] is required.');
    if (req.processDefinitionKey && req.processDefinitionId)
      throw invalidArgument('Only one of [processDefinitionId, processDefinitionKey] is allowed.');
    // Awaiting completion holds the connection: bounded like a job long poll.
    if (req.requestTimeout !== undefined && req.requestTimeout > MAX_LONG_POLL_MS)
      req.requestTimeout = MAX_LONG_POLL_MS;
    if (req.processDefinitionId) await requireOnProcess(ctx, req.processDefinitionId, 'CREATE_PROCESS_INSTANCE');
    else await requireOnProcessOf(ctx, 'process_definition', req.processDefinitionKey!, 'CREATE_PROCESS_INSTANCE');
    ctx.body = await createProcessInstance(rt, req, actorOf(ctx));
  });
  router.post('/process-instances/:key/cancellation', async (ctx) => {
    s.operationOnly.parse(await jsonBody(ctx));
    await requireOnProcessOf(ctx, 'process_instance', ctx.params.key, 'CANCEL_PROCESS_INSTANCE');
    await cancelProcessInstance(rt, ctx.params.key, actorOf(ctx));
    ctx.status = 204;
  });
};
