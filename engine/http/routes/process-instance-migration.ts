import { z } from 'zod';
import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { actorOf } from '../auth.js';
import { requireOnProcessOf } from '../authorize.js';
import { migrateProcessInstance } from '../../runtime/commands/migration.js';

// Camunda 8.8's ProcessInstanceMigrationInstruction.
const migration = z.object({
  targetProcessDefinitionKey: s.key,
  mappingInstructions: z.array(z.object({ sourceElementId: z.string().min(1), targetElementId: z.string().min(1) })),
  operationReference: s.int64.optional(),
});

export const processInstanceMigrationRoutes: RouteModule = (router, rt) => {
  router.post('/process-instances/:key/migration', async (ctx) => {
    const req = migration.parse(await jsonBody(ctx));
    // Zeebe asks UPDATE_PROCESS_INSTANCE on the instance's (source) process.
    await requireOnProcessOf(ctx, 'process_instance', ctx.params.key, 'UPDATE_PROCESS_INSTANCE');
    await migrateProcessInstance(rt, ctx.params.key, req, actorOf(ctx));
    ctx.status = 204;
  });
};
