import { z } from 'zod';
import type Koa from 'koa';
import type { RouteModule } from '../route-module.js';
import { answering, jsonBody } from '../search/problem.js';
import { actorOf } from '../auth.js';
import { grantsFor, readScope, requirePermission } from '../authorize.js';
import { forbidden } from '../../authz/authorizer.js';
import { runSearch } from '../../store/search/run.js';
import { pathKey } from '../../store/read/shared.js';
import {
  batchOperationItemSearch,
  batchOperationSearch,
  getBatchOperation,
} from '../../store/read/batch-operations.js';
import { createProcessInstanceBatch, type BatchPlan } from '../../runtime/batch-operations.js';
import { SearchRequestError } from '../../store/search/request-error.js';

const filter = z.record(z.string(), z.unknown());
const elementMapping = z.object({ sourceElementId: z.string().min(1), targetElementId: z.string().min(1) });
// Camunda 8.8's batch requests: a process instance filter and what to do with each instance found.
const cancellation = z.object({ filter, operationReference: z.unknown().optional() });
const migration = z.object({
  filter,
  migrationPlan: z.object({
    targetProcessDefinitionKey: z.union([z.string().regex(/^\d{1,19}$/), z.number().int()]).transform(String),
    mappingInstructions: z.array(elementMapping),
  }),
  operationReference: z.unknown().optional(),
});
const modification = z.object({
  filter,
  moveInstructions: z.array(elementMapping),
  operationReference: z.unknown().optional(),
});

/** Camunda's BATCH permissions: the operation's own creation permission, or CREATE for every kind. */
async function requireBatchCreation(ctx: Koa.Context, permission: string): Promise<void> {
  const grants = await grantsFor(ctx);
  if (!grants.has('BATCH', 'CREATE') && !grants.has('BATCH', permission)) throw forbidden(permission, 'BATCH');
}

export const batchOperationRoutes: RouteModule = (router, rt) => {
  const db = rt.store.pool;
  const send = (ctx: Koa.Context, body: unknown) => {
    ctx.body = body;
  };

  const batchRoute = <T extends z.ZodTypeAny>(
    path: string,
    schema: T,
    permission: string,
    plan: (body: z.infer<T>) => BatchPlan,
  ) =>
    router.post(
      path,
      answering(async (ctx) => {
        const parsed = schema.safeParse(await jsonBody(ctx));
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new SearchRequestError(issue?.path.join('.') || 'body', issue?.message ?? 'invalid request');
        }
        await requireBatchCreation(ctx, permission);
        const readable = await readScope(ctx, 'READ_PROCESS_INSTANCE', 'pi.bpmn_process_id');
        const body = parsed.data as { filter: Record<string, unknown> };
        send(ctx, await createProcessInstanceBatch(rt, plan(parsed.data), body.filter, readable, actorOf(ctx)));
      }),
    );
  batchRoute('/process-instances/cancellation', cancellation, 'CREATE_BATCH_OPERATION_CANCEL_PROCESS_INSTANCE', () => ({
    type: 'CANCEL_PROCESS_INSTANCE',
  }));
  batchRoute('/process-instances/migration', migration, 'CREATE_BATCH_OPERATION_MIGRATE_PROCESS_INSTANCE', (b) => ({
    type: 'MIGRATE_PROCESS_INSTANCE',
    migrationPlan: b.migrationPlan,
  }));
  batchRoute(
    '/process-instances/modification',
    modification,
    'CREATE_BATCH_OPERATION_MODIFY_PROCESS_INSTANCE',
    (b) => ({
      type: 'MODIFY_PROCESS_INSTANCE',
      moveInstructions: b.moveInstructions,
    }),
  );
  router.get(
    '/batch-operations/:batchOperationKey',
    answering(async (ctx) => {
      await requirePermission(ctx, 'BATCH', 'READ');
      send(ctx, await getBatchOperation(db, pathKey(ctx.params.batchOperationKey, 'batchOperationKey')));
    }),
  );
  router.post(
    '/batch-operations/search',
    answering(async (ctx) => {
      await requirePermission(ctx, 'BATCH', 'READ');
      send(ctx, await runSearch(db, batchOperationSearch, await jsonBody(ctx)));
    }),
  );
  router.post(
    '/batch-operation-items/search',
    answering(async (ctx) => {
      await requirePermission(ctx, 'BATCH', 'READ');
      send(ctx, await runSearch(db, batchOperationItemSearch, await jsonBody(ctx)));
    }),
  );
};
