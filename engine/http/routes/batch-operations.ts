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
import { createCancellationBatch } from '../../runtime/batch-operations.js';
import { SearchRequestError } from '../../store/search/request-error.js';

const cancellation = z.object({
  filter: z.record(z.string(), z.unknown()),
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

  router.post(
    '/process-instances/cancellation',
    answering(async (ctx) => {
      const parsed = cancellation.safeParse(await jsonBody(ctx));
      if (!parsed.success) throw new SearchRequestError('filter', 'a process instance filter is required');
      await requireBatchCreation(ctx, 'CREATE_BATCH_OPERATION_CANCEL_PROCESS_INSTANCE');
      const readable = await readScope(ctx, 'READ_PROCESS_INSTANCE', 'pi.bpmn_process_id');
      send(ctx, await createCancellationBatch(rt, parsed.data.filter, readable, actorOf(ctx)));
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
