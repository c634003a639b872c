import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import { z } from 'zod';
import { RepairService } from '../../domain/repair/service.js';
import { requireUser } from '../auth/routes.js';
import { REPAIR_DISPATCHERS } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import { READ } from '../camunda/consistency.js';
import { engineProblem } from '../camunda/errors.js';
import { problem } from '../http/problem.js';
import type { EngineApi } from '../camunda/engine-api.js';

const DispatchBody = z.object({
  crew: z.string().trim().min(1, 'is required').max(100),
  instructions: z.string().max(1000).default(''),
});

/**
 * POST /api/repair/tickets/:ref/dispatch: the dispatcher's screen completes the ticket's dispatch task (the same
 * task the inbox shows) with the chosen crew, naming the dispatcher for the printed work order.
 */
export function repairDispatchRouter(knex: Knex, engine: EngineApi): Router {
  const repair = new RepairService(knex);
  const router = new Router({ prefix: '/api/repair/tickets' });

  router.post('/:ref/dispatch', requireUser(...REPAIR_DISPATCHERS), async (ctx) => {
    const user = ctx.state.user as User;
    const parsed = DispatchBody.safeParse((ctx.request as Koa.Request & { body?: unknown }).body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.') || 'body';
      throw problem(422, 'Unprocessable Content', `${field}: ${issue.message}`, { field, code: 'invalid' });
    }
    const { crew, instructions } = parsed.data;
    const ticket = await repair.ticket(ctx.params.ref);
    if (!(await repair.crews()).some((c) => c.username === crew))
      throw problem(422, 'Unprocessable Content', `crew: ${crew} is not a repair crew`, {
        field: 'crew',
        code: 'invalid',
      });
    if (!ticket.processInstanceKey) throw problem(409, 'Conflict', `ticket ${ticket.ticketNo} has no process`);
    const client = engine.clients.forUser(user.username);
    try {
      const open = await client.searchUserTasks(
        { filter: { processInstanceKey: ticket.processInstanceKey, elementId: 'dispatch', state: 'CREATED' } } as never,
        READ,
      );
      const task = open.items[0];
      if (!task) throw problem(409, 'Conflict', `ticket ${ticket.ticketNo} is not waiting for dispatch`);
      if (task.assignee && task.assignee !== user.username)
        throw problem(409, 'Conflict', `the dispatch of ${ticket.ticketNo} is claimed by ${task.assignee}`);
      // One click claims and completes: the engine lets only the assignee complete a task (Tasklist's rule).
      if (!task.assignee) await client.assignUserTask({ userTaskKey: task.userTaskKey, assignee: user.username });
      await client.completeUserTask({
        userTaskKey: task.userTaskKey,
        variables: { crew, instructions, dispatchedBy: user.username },
      });
    } catch (err) {
      throw engineProblem(err, { 409: `ticket ${ticket.ticketNo} is not waiting for dispatch` });
    }
    ctx.status = 202;
    ctx.body = { ticketNo: ticket.ticketNo, crew };
  });

  return router;
}
