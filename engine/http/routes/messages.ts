import { z } from 'zod';
import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { correlateMessage, publishMessage } from '../../runtime/events/messages.js';
import { requirePermission } from '../authorize.js';

const message = z.object({
  name: z.string().min(1),
  correlationKey: z.string().optional(),
  variables: s.variables.optional(),
  tenantId: s.tenantId.optional(),
});
const publication = message.extend({
  timeToLive: s.int64.refine((n) => n >= 0, 'must not be negative').optional(),
  messageId: z.string().optional(),
});

/** Publish (buffered with a TTL) and correlate (immediate, 404 when nothing waits), as Camunda 8.8. */
export const messageRoutes: RouteModule = (router, rt) => {
  router.post('/messages/publication', async (ctx) => {
    await requirePermission(ctx, 'MESSAGE', 'CREATE');
    const req = publication.parse(await jsonBody(ctx));
    ctx.body = await publishMessage(rt, req);
  });
  router.post('/messages/correlation', async (ctx) => {
    await requirePermission(ctx, 'MESSAGE', 'CREATE');
    const req = message.parse(await jsonBody(ctx));
    ctx.body = await correlateMessage(rt, req);
  });
};
