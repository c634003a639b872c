import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import { z } from 'zod';
import { CATEGORIES } from '../../domain/repair/schemas.js';
import { RepairService } from '../../domain/repair/service.js';
import { stepTimes } from '../../domain/repair/stats.js';
import { requireUser } from '../auth/routes.js';
import { REPAIR_INTAKE, REPAIR_PRINTERS, REPAIR_READERS, REPAIR_REPORTS } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import { engineProblem } from '../camunda/errors.js';
import { problem } from '../http/problem.js';
import { renderWorkOrder } from '../../documents/work-order.js';
import type { EngineApi } from '../camunda/engine-api.js';

const me = (ctx: Koa.Context) => ctx.state.user as User;
const body = (ctx: Koa.Context): unknown => (ctx.request as Koa.Request & { body?: unknown }).body ?? {};

const ListQuery = z.object({
  status: z.enum(['open', 'dispatched', 'on_site', 'completed', 'closed', 'cancelled']).optional(),
  category: z.enum(CATEGORIES).optional(),
  accountNo: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const StatsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
const PdfQuery = z.object({ workOrder: z.coerce.number().int().positive().optional() });
const DuplicatesQuery = z.object({ accountNo: z.string().trim().min(1).max(32) });
/** The intake form's id for one call (a UUID it keeps across retries); absent from API clients that send once. */
const Submission = z.object({
  submissionId: z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/, 'letters, digits and dashes (8–64)')
    .optional(),
});

/**
 * /api/repair: the call centre's ticket intake (the customer lookup is /api/customers/search), ticket pages,
 * printed work orders and the report. A ticket is saved first, then its `repair-ticket` process is started
 * through the official client acting as the agent; the crew's routes are in repair-field.ts.
 */
export function repairRouter(knex: Knex, engine?: EngineApi): Router {
  const repair = new RepairService(knex);
  const router = new Router({ prefix: '/api/repair' });

  router.get('/meta', requireUser(...REPAIR_READERS), async (ctx) => {
    const [levels, crews, settings] = await Promise.all([repair.serviceLevels(), repair.crews(), repair.settings()]);
    ctx.body = { categories: CATEGORIES, urgencies: levels, crews, settings };
  });

  // Supply address, meters and service history of an account, at once, for the agent on the phone.
  router.get('/accounts/:accountNo', requireUser(...REPAIR_READERS), async (ctx) => {
    ctx.body = await repair.accountContext(ctx.params.accountNo);
  });

  // The open tickets a call about this account would duplicate, asked before the ticket is taken: the agent
  // sees them and decides, rather than learning of the duplicate once it exists.
  router.get('/duplicates', requireUser(...REPAIR_INTAKE), async (ctx) => {
    const { accountNo } = DuplicatesQuery.parse(ctx.query);
    ctx.body = { items: await repair.duplicatesForAccount(accountNo) };
  });

  router.post('/tickets', requireUser(...REPAIR_INTAKE), async (ctx) => {
    const user = me(ctx);
    const input = body(ctx) as Record<string, unknown>;
    // The form's submission id makes a double click or a retry over a bad line one ticket with one process.
    const submission = Submission.parse(input).submissionId;
    const change = { actor: user.username, ...(submission ? { idempotencyKey: `repair-intake:${submission}` } : {}) };
    const created = await repair.createTicket(input, change);
    let processInstanceKey: string | null = null;
    if (engine) {
      const crews = await repair.crews();
      const variables = {
        ...(await repair.processVariables(created)),
        crewOptions: crews.map((c) => ({ label: `${c.displayName} (${c.username})`, value: c.username })),
      };
      processInstanceKey = await repair.startProcessOnce(
        created.ticketNo,
        async () => {
          try {
            const started = await engine.clients
              .forUser(user.username)
              .createProcessInstance({ processDefinitionId: 'repair-ticket' as never, variables });
            return String(started.processInstanceKey);
          } catch (err) {
            throw engineProblem(err, { 404: 'the repair-ticket process is not deployed' });
          }
        },
        { actor: user.username },
      );
    }
    ctx.status = 201;
    ctx.set('Location', `/api/repair/tickets/${created.ticketNo}`);
    ctx.body = { ...created, processInstanceKey };
  });

  router.get('/tickets', requireUser(...REPAIR_READERS), async (ctx) => {
    const q = ListQuery.parse(ctx.query);
    ctx.body = { items: await repair.tickets(q) };
  });

  router.get('/tickets/:ref', requireUser(...REPAIR_READERS), async (ctx) => {
    ctx.body = await repair.ticket(ctx.params.ref);
  });

  // The work order (派工单) of the ticket's current (or a given) work order; every print is logged.
  router.get('/tickets/:ref/work-order.pdf', requireUser(...REPAIR_PRINTERS), async (ctx) => {
    const q = PdfQuery.parse(ctx.query);
    const ticket = await repair.ticket(ctx.params.ref);
    const wo = q.workOrder
      ? ticket.workOrders.find((w) => w.workOrderId === q.workOrder)
      : [...ticket.workOrders].reverse().find((w) => w.status !== 'superseded');
    if (!wo)
      throw problem(
        404,
        'Not Found',
        `ticket ${ticket.ticketNo} has no work order${q.workOrder ? ` ${q.workOrder}` : ''} yet`,
      );
    const pdf = await renderWorkOrder(repair, ticket.ticketNo, wo.workOrderId);
    await repair.logPrint(wo.workOrderId, me(ctx).username);
    ctx.type = 'application/pdf';
    ctx.set('Content-Disposition', `inline; filename="${ticket.ticketNo}-${wo.workOrderId}.pdf"`);
    ctx.body = pdf;
  });

  router.get('/photos/:id', requireUser(...REPAIR_READERS), async (ctx) => {
    const photo = await repair.photo(ctx.params.id);
    ctx.type = photo.contentType;
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = photo.bytes;
  });

  // Tickets by category and status, satisfaction, per crew (SQL); time per step from the process timelines.
  router.get('/statistics', requireUser(...REPAIR_REPORTS), async (ctx) => {
    const q = StatsQuery.parse(ctx.query);
    const stats = await repair.statistics(q);
    let steps = stepTimes([]);
    if (engine) {
      const client = engine.clients.forUser(me(ctx).username);
      const keys = await repair.recentProcessInstances(q);
      const timelines = [];
      for (const key of keys) {
        const timeline = await engine.timeline.read(client, key).catch(() => null);
        if (timeline) timelines.push(timeline);
      }
      steps = stepTimes(timelines);
    }
    ctx.body = { ...stats, steps };
  });

  return router;
}
