import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import { z } from 'zod';
import { householdChanges, recordHouseholdChange } from '../../domain/billing/household.js';
import { BillingService } from '../../domain/billing/service.js';
import { BILLING_CLERKS, BILLING_READERS, EVERY_ROLE, MANAGERS } from '../auth/roles.js';
import { requireUser } from '../auth/routes.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { engineProblem } from '../camunda/errors.js';
import { problem } from '../http/problem.js';

const id = (raw: string, what: string): number => {
  if (!/^\d{1,15}$/.test(raw)) throw problem(404, 'Not Found', `no ${what} ${raw}`);
  return Number(raw);
};
const EndBody = z.object({ effectiveTo: z.iso.date() });
const ClassQuery = z.object({ class: z.enum(['residential', 'non_residential', 'special']).optional() });

/** Today in China time: bills post and fall due by the utility's calendar. */
export function chinaToday(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * /api/billing: tariffs (versions as data), bill runs (started as bill-run process instances through the
 * official client, acting as the signed-in manager; progress read from the run row), bills, re-bill and
 * reversal. Input is validated by the domain (422 naming the field); one run per period (409).
 */
export function billingRouter(knex: Knex, clients?: EngineClients): Router {
  const billing = new BillingService(knex);
  const router = new Router({ prefix: '/api/billing' });
  const me = (ctx: Koa.Context) => ctx.state.user as User;
  const change = (ctx: Koa.Context) => ({ actor: me(ctx).username });
  const body = (ctx: Koa.Context): unknown => (ctx.request as Koa.Request & { body?: unknown }).body ?? {};
  const fieldProblem = (r: z.ZodSafeParseError<unknown>) => {
    const field = r.error.issues[0].path.join('.');
    return problem(422, 'Unprocessable Content', `${field}: ${r.error.issues[0].message}`, { field });
  };

  router.get('/tariffs', requireUser(...EVERY_ROLE), async (ctx) => {
    const q = ClassQuery.safeParse(ctx.query);
    if (!q.success) throw fieldProblem(q);
    ctx.body = { items: await billing.listTariffs(q.data.class) };
  });
  router.get('/tariffs/:id', requireUser(...EVERY_ROLE), async (ctx) => {
    ctx.body = await billing.getTariff(id(ctx.params.id, 'tariff'));
  });
  router.post('/tariffs', requireUser(...MANAGERS), async (ctx) => {
    const created = await billing.createTariff(body(ctx), change(ctx));
    ctx.status = 201;
    ctx.set('Location', `/api/billing/tariffs/${created.id}`);
    ctx.body = created;
  });
  router.post('/tariffs/:id/end', requireUser(...MANAGERS), async (ctx) => {
    const v = EndBody.safeParse(body(ctx));
    if (!v.success) throw fieldProblem(v);
    ctx.body = await billing.endTariff(id(ctx.params.id, 'tariff'), v.data.effectiveTo, change(ctx));
  });

  router.get('/runs', requireUser(...BILLING_READERS), async (ctx) => {
    ctx.body = { items: await billing.listRuns() };
  });
  router.get('/runs/:id', requireUser(...BILLING_READERS), async (ctx) => {
    ctx.body = await billing.getRun(id(ctx.params.id, 'bill run'));
  });
  router.post('/runs', requireUser(...MANAGERS), async (ctx) => {
    if (!clients) throw problem(503, 'Service Unavailable', 'the process engine is not connected');
    const run = await billing.createRun(body(ctx), change(ctx));
    try {
      const created = await clients.forUser(me(ctx).username).createProcessInstance({
        processDefinitionId: 'bill-run' as never,
        variables: { runId: run.id, period: run.period },
      });
      await billing.setRunInstance(run.id, String(created.processInstanceKey));
    } catch (err) {
      await billing.abandonRun(run.id); // the period may be started again
      throw engineProblem(err);
    }
    ctx.status = 201;
    ctx.set('Location', `/api/billing/runs/${run.id}`);
    ctx.body = await billing.getRun(run.id);
  });

  router.get('/bills/:id', requireUser(...BILLING_READERS), async (ctx) => {
    ctx.body = await billing.getBill(id(ctx.params.id, 'bill'));
  });
  router.get('/accounts/:accountNo/bills', requireUser(...BILLING_READERS), async (ctx) => {
    ctx.body = { items: await billing.billsOfAccount(ctx.params.accountNo) };
  });
  // Household size over time (户口): the per-person tier extension of a bill follows the size on its period's first day.
  router.get('/accounts/:accountNo/household', requireUser(...BILLING_READERS), async (ctx) => {
    ctx.body = { items: await householdChanges(knex, ctx.params.accountNo) };
  });
  router.post('/accounts/:accountNo/household', requireUser(...BILLING_CLERKS), async (ctx) => {
    const created = await recordHouseholdChange(knex, ctx.params.accountNo, body(ctx), change(ctx));
    ctx.status = 201;
    ctx.body = created;
  });
  // The differences per bill (the bill and the later bills of its tier year) before anything posts.
  router.post('/bills/:id/rebill/preview', requireUser(...BILLING_CLERKS), async (ctx) => {
    ctx.body = await billing.previewRebill(id(ctx.params.id, 'bill'), body(ctx), chinaToday(), change(ctx));
  });
  router.post('/bills/:id/rebill', requireUser(...BILLING_CLERKS), async (ctx) => {
    ctx.status = 201;
    ctx.body = await billing.rebill(id(ctx.params.id, 'bill'), body(ctx), chinaToday(), change(ctx));
  });
  router.post('/bills/:id/reverse', requireUser(...BILLING_CLERKS), async (ctx) => {
    ctx.body = await billing.reverseBill(id(ctx.params.id, 'bill'), body(ctx), change(ctx));
  });
  return router;
}
