import type { RouteModule } from '../route-module.js';
import { jsonBody } from '../body.js';
import * as s from '../schemas.js';
import { actorOf } from '../auth.js';
import { requireUserTaskAction } from '../authorize.js';
import {
  assignUserTask,
  completeUserTask,
  unassignUserTask,
  updateUserTask,
} from '../../runtime/commands/user-tasks.js';
import { invalidArgument } from '../../runtime/errors.js';

function isoOrNull(v: string | null | undefined, field: string): void {
  if (v && Number.isNaN(Date.parse(v)))
    throw invalidArgument(
      `The provided ${field} '${v}' cannot be parsed as a date according to RFC 3339, section 5.6.`,
    );
}

export const userTaskRoutes: RouteModule = (router, rt) => {
  router.post('/user-tasks/:key/completion', async (ctx) => {
    const req = s.completeUserTask.parse(await jsonBody(ctx));
    await requireUserTaskAction(ctx, ctx.params.key, 'complete');
    await completeUserTask(rt, ctx.params.key, req.variables ?? {}, req.action ?? null, actorOf(ctx));
    ctx.status = 204;
  });
  router.post('/user-tasks/:key/assignment', async (ctx) => {
    const req = s.assignUserTask.parse(await jsonBody(ctx));
    await requireUserTaskAction(ctx, ctx.params.key, 'assign', req.assignee);
    await assignUserTask(rt, ctx.params.key, req, actorOf(ctx));
    ctx.status = 204;
  });
  router.delete('/user-tasks/:key/assignee', async (ctx) => {
    await requireUserTaskAction(ctx, ctx.params.key, 'unassign');
    await unassignUserTask(rt, ctx.params.key, actorOf(ctx));
    ctx.status = 204;
  });
  router.patch('/user-tasks/:key', async (ctx) => {
    const req = s.updateUserTask.parse(await jsonBody(ctx));
    await requireUserTaskAction(ctx, ctx.params.key, 'update');
    const cs = req.changeset ?? {};
    isoOrNull(cs.dueDate, 'dueDate');
    isoOrNull(cs.followUpDate, 'followUpDate');
    await updateUserTask(rt, ctx.params.key, cs, req.action ?? null, actorOf(ctx));
    ctx.status = 204;
  });
};
