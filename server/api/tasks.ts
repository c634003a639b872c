import Router from '@koa/router';
import { maskedVariable } from '../timeline/personal-data.js';
import type Koa from 'koa';
import { z } from 'zod';
import { requireUser } from '../auth/routes.js';
import { EVERY_ROLE, MANAGERS, OVERSIGHT, TASK_WORKERS } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { READ } from '../camunda/consistency.js';
import { engineProblem, engineStatus } from '../camunda/errors.js';
import { problem } from '../http/problem.js';

type View = 'mine' | 'group' | 'all';

const ListQuery = z.object({
  view: z.enum(['mine', 'group', 'all']).default('mine'),
  process: z.string().max(200).optional(),
  due: z.enum(['overdue', 'today', 'any']).default('any'),
  minPriority: z.coerce.number().int().min(0).max(100).optional(),
  customer: z.string().trim().max(100).optional(),
  sort: z.enum(['creationDate', 'dueDate', 'priority']).default('creationDate'),
  order: z.enum(['ASC', 'DESC']).default('DESC'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const AssignBody = z.object({ assignee: z.string().trim().min(1).max(100) });
const CompleteBody = z.object({ variables: z.record(z.string(), z.unknown()).default({}) });

function viewFilter(view: View, user: User): Record<string, unknown> {
  if (view === 'mine') return { state: 'CREATED', assignee: user.username };
  if (view === 'group') return { state: 'CREATED', assignee: { $exists: false }, candidateGroup: { $in: user.roles } };
  return { state: 'CREATED' };
}

/** Which views a user sees: everyone has their own and their groups'; managers and auditors see all. */
function viewsOf(user: User): View[] {
  return user.roles.some((r) => OVERSIGHT.includes(r)) ? ['mine', 'group', 'all'] : ['mine', 'group'];
}

function endOfToday(): string {
  const d = new Date();
  d.setHours(23, 59, 59, 999);
  return d.toISOString();
}

/**
 * The customer filter on the tasks' process variables (the engine's `processInstanceVariables`, so it works on a
 * Camunda cluster too). Account numbers carry digits and names do not, so one text picks `accountNo` or
 * `customerName`: the engine ANDs variable filters, it cannot OR them. Values are matched as JSON text, and
 * wildcards the user typed are escaped: they search for themselves.
 */
export function customerFilter(text: string): Array<{ name: string; value: { $like: string } }> {
  const term = text.trim();
  if (!term) return [];
  const literal = JSON.stringify(/\d/.test(term) ? term.toUpperCase() : term)
    .slice(1, -1)
    .replace(/[*?\\]/g, (c) => `\\${c}`);
  return [{ name: /\d/.test(term) ? 'accountNo' : 'customerName', value: { $like: `*${literal}*` } }];
}

type Client = ReturnType<EngineClients['forUser']>;
type Customer = { accountNo?: string; customerName?: string; address?: string };
const CUSTOMER_VARIABLES = ['accountNo', 'customerName', 'address'];

/** The customer of each listed task (root-scope accountNo / customerName / address), read in one variable search. */
async function customersOf(client: Client, tasks: Array<{ processInstanceKey?: unknown }>) {
  const keys = [...new Set(tasks.map((task) => String(task.processInstanceKey)))];
  const found = new Map<string, Customer>();
  if (!keys.length) return found;
  const vars = await client.searchVariables(
    {
      filter: { processInstanceKey: { $in: keys }, name: { $in: CUSTOMER_VARIABLES } },
      page: { limit: keys.length * CUSTOMER_VARIABLES.length },
    } as never,
    READ,
  );
  for (const v of vars.items) {
    if (String(v.scopeKey) !== String(v.processInstanceKey)) continue; // a same-named local variable is not the case's
    let value: unknown;
    try {
      value = JSON.parse(v.value);
    } catch {
      continue; // truncated: not worth a second call for a list label
    }
    if (typeof value !== 'string') continue;
    const key = String(v.processInstanceKey);
    found.set(key, { ...found.get(key), [v.name]: value });
  }
  return found;
}

const me = (ctx: Koa.Context): User => ctx.state.user as User;
const key = (k: string) => {
  if (!/^\d{1,19}$/.test(k)) throw problem(404, 'Not Found', `no task ${k}`);
  return k as never;
};

/**
 * /api/tasks: the work inbox. Reads and writes go through the official client to /v2 (the embedded engine or a
 * Camunda 8 cluster), acting as the signed-in user.
 */
export function tasksRouter(clients: EngineClients): Router {
  const router = new Router({ prefix: '/api/tasks' });
  const engine = (ctx: Koa.Context) => clients.forUser(me(ctx).username);

  async function loadTask(ctx: Koa.Context, userTaskKey: string) {
    try {
      return await engine(ctx).getUserTask({ userTaskKey: key(userTaskKey) }, READ);
    } catch (err) {
      throw engineProblem(err, { 404: `task ${userTaskKey} no longer exists` });
    }
  }

  router.get('/', requireUser(...EVERY_ROLE), async (ctx) => {
    const q = ListQuery.parse(ctx.query);
    const user = me(ctx);
    const views = viewsOf(user);
    if (!views.includes(q.view)) throw problem(403, 'Forbidden', `the view "${q.view}" is for managers and auditors`);
    const filter: Record<string, unknown> = { ...viewFilter(q.view, user) };
    if (q.process) filter.processDefinitionId = q.process;
    if (q.due === 'overdue') filter.dueDate = { $lt: new Date().toISOString() };
    if (q.due === 'today') filter.dueDate = { $lte: endOfToday() };
    if (q.minPriority !== undefined) filter.priority = { $gte: q.minPriority };
    const byCustomer = customerFilter(q.customer ?? '');
    if (byCustomer.length) filter.processInstanceVariables = byCustomer;
    const client = engine(ctx);
    try {
      const [page, ...counts] = await Promise.all([
        client.searchUserTasks(
          { filter, sort: [{ field: q.sort, order: q.order }], page: { limit: q.limit } } as never,
          READ,
        ),
        ...views.map((v) => client.searchUserTasks({ filter: viewFilter(v, user), page: { limit: 1 } } as never, READ)),
      ]);
      const customers = await customersOf(client, page.items);
      ctx.body = {
        items: page.items.map((task) => ({
          ...task,
          customer: customers.get(String(task.processInstanceKey)) ?? null,
        })),
        total: page.page.totalItems,
        counts: Object.fromEntries(views.map((v, i) => [v, counts[i].page.totalItems])),
      };
    } catch (err) {
      throw engineProblem(err);
    }
  });

  // The task with its form (the deployed .form linked by formId) and the process variables to prefill it.
  router.get('/:key', requireUser(...EVERY_ROLE), async (ctx) => {
    const task = await loadTask(ctx, ctx.params.key);
    const client = engine(ctx);
    try {
      const [form, variables] = await Promise.all([
        task.formKey ? client.getUserTaskForm({ userTaskKey: key(ctx.params.key) }, READ) : Promise.resolve(null),
        client.searchUserTaskVariables(
          { userTaskKey: key(ctx.params.key), truncateValues: false, page: { limit: 1000 } } as never,
          READ,
        ),
      ]);
      const values: Record<string, unknown> = {};
      // who works tasks fills the forms with what they hold; a reader only (auditor) sees personal data masked
      const worker = (ctx.state.user as User).roles.some((r) => TASK_WORKERS.includes(r));
      for (const v of variables.items) {
        let value: unknown;
        try {
          value = JSON.parse(v.value);
        } catch {
          value = v.value;
        }
        values[v.name] = worker ? value : maskedVariable(v.name, value);
      }
      const schema = form?.schema;
      ctx.body = {
        task,
        form: schema ? (typeof schema === 'string' ? JSON.parse(schema) : schema) : null,
        variables: values,
      };
    } catch (err) {
      throw engineProblem(err);
    }
  });

  router.post('/:key/claim', requireUser(...TASK_WORKERS), async (ctx) => {
    const user = me(ctx);
    const task = await loadTask(ctx, ctx.params.key);
    if (task.state !== 'CREATED') throw problem(409, 'Conflict', 'this task is already done');
    const manager = user.roles.some((r) => MANAGERS.includes(r));
    const candidate =
      (!task.candidateGroups?.length && !task.candidateUsers?.length) ||
      task.candidateGroups?.some((g) => user.roles.includes(g)) ||
      task.candidateUsers?.includes(user.username);
    if (!manager && !candidate)
      throw problem(403, 'Forbidden', `this task is for the groups: ${task.candidateGroups?.join(', ')}`);
    if (task.assignee && task.assignee !== user.username)
      throw problem(409, 'Conflict', `already claimed by ${task.assignee}`, { assignee: task.assignee });
    try {
      // allowOverride false: the engine serialises claims on one task, so of two concurrent claims one wins.
      await engine(ctx).assignUserTask({
        userTaskKey: key(ctx.params.key),
        assignee: user.username,
        allowOverride: false,
        action: 'claim',
      });
    } catch (err) {
      if (engineStatus(err) === 409) {
        const now = await loadTask(ctx, ctx.params.key).catch(() => null);
        const by = now?.assignee;
        throw problem(409, 'Conflict', by ? `already claimed by ${by}` : 'someone else claimed this task first', {
          assignee: by ?? null,
        });
      }
      throw engineProblem(err);
    }
    ctx.status = 204;
  });

  router.post('/:key/unclaim', requireUser(...TASK_WORKERS), async (ctx) => {
    const user = me(ctx);
    const task = await loadTask(ctx, ctx.params.key);
    if (task.assignee !== user.username && !user.roles.some((r) => MANAGERS.includes(r)))
      throw problem(403, 'Forbidden', 'only the assignee or a manager may release this task');
    try {
      await engine(ctx).unassignUserTask({ userTaskKey: key(ctx.params.key) });
    } catch (err) {
      throw engineProblem(err, { 404: 'this task no longer exists', 409: 'this task is already done' });
    }
    ctx.status = 204;
  });

  router.post('/:key/assign', requireUser(...MANAGERS), async (ctx) => {
    const { assignee } = AssignBody.parse(ctx.request.body ?? {});
    await loadTask(ctx, ctx.params.key);
    try {
      await engine(ctx).assignUserTask({
        userTaskKey: key(ctx.params.key),
        assignee,
        allowOverride: true,
        action: 'assign',
      });
    } catch (err) {
      throw engineProblem(err, { 404: 'this task no longer exists', 409: 'this task is already done' });
    }
    ctx.status = 204;
  });

  router.post('/:key/complete', requireUser(...TASK_WORKERS), async (ctx) => {
    const user = me(ctx);
    const { variables } = CompleteBody.parse(ctx.request.body ?? {});
    let task;
    try {
      task = await engine(ctx).getUserTask({ userTaskKey: key(ctx.params.key) }, READ);
    } catch (err) {
      throw engineProblem(err, { 404: 'this task was completed or cancelled meanwhile' });
    }
    if (task.state !== 'CREATED') throw problem(409, 'Conflict', 'this task was completed meanwhile');
    if (task.assignee !== user.username) throw problem(409, 'Conflict', 'claim the task before completing it');
    try {
      await engine(ctx).completeUserTask({ userTaskKey: key(ctx.params.key), variables, action: 'complete' });
    } catch (err) {
      throw engineProblem(err, {
        404: 'this task was completed or cancelled meanwhile',
        409: 'this task was completed meanwhile',
      });
    }
    ctx.status = 204;
  });

  return router;
}
