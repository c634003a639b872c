import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import multer from 'multer';
import { z } from 'zod';
import { RepairService } from '../../domain/repair/service.js';
import { requireUser } from '../auth/routes.js';
import { MANAGERS, REPAIR_FIELD } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import { READ } from '../camunda/consistency.js';
import { engineProblem } from '../camunda/errors.js';
import { problem } from '../http/problem.js';
import type { EngineApi } from '../camunda/engine-api.js';

const me = (ctx: Koa.Context) => ctx.state.user as User;
const body = (ctx: Koa.Context): unknown => (ctx.request as Koa.Request & { body?: unknown }).body ?? {};
/** Managers and admins may act on any crew's work order; a crew only on its own. */
const asCrew = (user: User) => !user.roles.some((r) => MANAGERS.includes(r));

const ArrivalBody = z.object({ arrivedAt: z.iso.datetime({ offset: true }).optional() });
// A hard cap on what is read into memory at all; the configured photo limit (smaller) is the domain's check.
const UPLOAD_CAP_BYTES = 25 * 1024 * 1024;
const MAX_PHOTOS = 10;

/** Reads multipart photos (field `photos`) into memory; multer's own refusals become 422 naming `photos`. */
const photoUpload: Koa.Middleware = async (ctx, next) => {
  const mw = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: UPLOAD_CAP_BYTES, files: MAX_PHOTOS },
  }).array('photos', MAX_PHOTOS);
  try {
    await new Promise<void>((resolve, reject) =>
      mw(ctx.req as never, ctx.res as never, (err: unknown) => (err ? reject(err) : resolve())),
    );
  } catch (err) {
    if (err instanceof multer.MulterError)
      throw problem(422, 'Unprocessable Content', `photos: ${err.message}`, { field: 'photos', code: 'invalid' });
    throw err;
  }
  await next();
};

/** /api/repair/work-orders: the crew's phone page — its open work orders, arrival, photos, result and completion. */
export function repairFieldRouter(knex: Knex, engine?: EngineApi): Router {
  const repair = new RepairService(knex);
  const router = new Router({ prefix: '/api/repair/work-orders' });

  router.get('/mine', requireUser(...REPAIR_FIELD), async (ctx) => {
    ctx.body = { items: await repair.openWorkOrdersOf(me(ctx).username) };
  });

  router.post('/:id/arrival', requireUser(...REPAIR_FIELD), async (ctx) => {
    const { arrivedAt } = ArrivalBody.parse(body(ctx));
    ctx.body = await repair.recordArrival(ctx.params.id, arrivedAt, { actor: me(ctx).username }, asCrew(me(ctx)));
  });

  router.post('/:id/photos', requireUser(...REPAIR_FIELD), photoUpload, async (ctx) => {
    const files = ((ctx.req as unknown as { files?: Express.Multer.File[] }).files ?? []).map((f) => ({
      // multer reads the name as latin1; browsers send UTF-8 (Chinese file names).
      fileName: Buffer.from(f.originalname, 'latin1').toString('utf8'),
      bytes: f.buffer,
    }));
    ctx.status = 201;
    ctx.body = { items: await repair.addPhotos(ctx.params.id, files, { actor: me(ctx).username }, asCrew(me(ctx))) };
  });

  // The result is kept first (once, however often it is sent); then the field-work task is completed, so the
  // ticket flows back to the service centre.
  router.post('/:id/complete', requireUser(...REPAIR_FIELD), async (ctx) => {
    const user = me(ctx);
    const done = await repair.completeWorkOrder(ctx.params.id, body(ctx), { actor: user.username }, asCrew(user));
    let taskCompleted = false;
    const ticket = await repair.ticket(done.ticketNo);
    if (engine && ticket.processInstanceKey) {
      const client = engine.clients.forUser(user.username);
      try {
        const open = await client.searchUserTasks(
          {
            filter: { processInstanceKey: ticket.processInstanceKey, elementId: 'field-work', state: 'CREATED' },
          } as never,
          READ,
        );
        for (const task of open.items) {
          await client.completeUserTask({
            userTaskKey: task.userTaskKey,
            variables: { workOrderId: done.workOrderId, result: done.result, resolved: done.resolved },
          });
          taskCompleted = true;
        }
      } catch (err) {
        throw engineProblem(err, { 409: 'the field-work task is already done' });
      }
    }
    ctx.body = { ...done, taskCompleted };
  });

  return router;
}
