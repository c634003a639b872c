import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import type { Timeline } from '../../contracts/timeline.js';
import type { Timeline as EngineTimeline } from '../../engine/index.js';
import { requireUser } from '../auth/routes.js';
import { MANAGERS, OVERSIGHT } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { READ } from '../camunda/consistency.js';
import { engineProblem } from '../camunda/errors.js';
import type { TimelineSource } from '../camunda/timeline.js';
import { problem } from '../http/problem.js';
import { elementNames } from '../timeline/element-names.js';
import { maskedTimeline } from '../timeline/personal-data.js';
import { timelinePdf } from '../../documents/timeline-pdf.js';

// The engine imports nothing of the project, so it declares its timeline itself; this fails to compile the day the
// engine's Timeline and the contract the web app reads (contracts/timeline.ts) differ in either direction.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type TimelineIsTheContract = Holds<Same<EngineTimeline, Timeline>>;

const SearchQuery = z.object({
  process: z.string().max(200).optional(),
  state: z.enum(['ACTIVE', 'COMPLETED', 'TERMINATED']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const keyOf = (k: string) => {
  if (!/^\d{1,19}$/.test(k)) throw problem(404, 'Not Found', `no process instance ${k}`);
  return k as never;
};

/** /api/instances (auditors' timeline) and /api/incidents (list for oversight, retry for managers). */
export function instancesRouter(clients: EngineClients, timeline: TimelineSource): Router {
  const router = new Router({ prefix: '/api' });
  const engine = (ctx: Koa.Context) => clients.forUser((ctx.state.user as User).username);
  // Managers and admins act on what they read; auditors read ID numbers and phones masked.
  const forReader = <T extends Timeline | null>(ctx: Koa.Context, t: T): T =>
    t && !(ctx.state.user as User).roles.some((r) => MANAGERS.includes(r)) ? (maskedTimeline(t) as T) : t;

  router.get('/instances', requireUser(...OVERSIGHT), async (ctx) => {
    const q = SearchQuery.parse(ctx.query);
    const filter: Record<string, unknown> = {};
    if (q.process) filter.processDefinitionId = q.process;
    if (q.state) filter.state = q.state;
    if (q.from || q.to) filter.startDate = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
    try {
      const found = await engine(ctx).searchProcessInstances(
        { filter, sort: [{ field: 'startDate', order: 'DESC' }], page: { limit: q.limit } } as never,
        READ,
      );
      ctx.body = { items: found.items, total: found.page.totalItems };
    } catch (err) {
      throw engineProblem(err);
    }
  });

  // The instance page: the instance, its diagram, element states for the overlay, and the record-log timeline.
  router.get('/instances/:key', requireUser(...OVERSIGHT), async (ctx) => {
    const client = engine(ctx);
    try {
      const instance = await client.getProcessInstance({ processInstanceKey: keyOf(ctx.params.key) }, READ);
      const [xml, incidents, history] = await Promise.all([
        client.getProcessDefinitionXml({ processDefinitionKey: instance.processDefinitionKey }, READ),
        client.searchIncidents({ filter: { processInstanceKey: ctx.params.key }, page: { limit: 200 } } as never, READ),
        timeline.read(client, ctx.params.key),
      ]);
      ctx.body = { instance, xml: String(xml), incidents: incidents.items, timeline: forReader(ctx, history) };
    } catch (err) {
      throw engineProblem(err, { 404: `no process instance ${ctx.params.key}` });
    }
  });

  // The same record log printed (pdfmake, Chinese headings), with element names from the instance's diagram.
  router.get('/instances/:key/timeline.pdf', requireUser(...OVERSIGHT), async (ctx) => {
    const client = engine(ctx);
    const read = async () => {
      const instance = await client.getProcessInstance({ processInstanceKey: keyOf(ctx.params.key) }, READ);
      const [xml, history] = await Promise.all([
        client.getProcessDefinitionXml({ processDefinitionKey: instance.processDefinitionKey }, READ),
        timeline.read(client, ctx.params.key),
      ]);
      return { instance, xml: String(xml), history };
    };
    const { instance, xml, history } = await read().catch((err) => {
      throw engineProblem(err, { 404: `no process instance ${ctx.params.key}` });
    });
    const pdf = await timelinePdf(instance, forReader(ctx, history), await elementNames(xml));
    ctx.type = 'application/pdf';
    ctx.set('Content-Disposition', `attachment; filename="timeline-${ctx.params.key}.pdf"`);
    ctx.body = pdf;
  });

  router.get('/incidents', requireUser(...OVERSIGHT), async (ctx) => {
    try {
      const found = await engine(ctx).searchIncidents(
        {
          filter: { state: 'ACTIVE' },
          sort: [{ field: 'creationTime', order: 'DESC' }],
          page: { limit: 200 },
        } as never,
        READ,
      );
      ctx.body = { items: found.items };
    } catch (err) {
      throw engineProblem(err);
    }
  });

  // Retry: give a failed job its retries back (else the resolution would fail again at once), then resolve.
  router.post('/incidents/:key/retry', requireUser(...MANAGERS), async (ctx) => {
    const client = engine(ctx);
    try {
      const incident = await client.getIncident({ incidentKey: keyOf(ctx.params.key) }, READ);
      if (incident.jobKey) await client.updateJob({ jobKey: incident.jobKey, changeset: { retries: 3 } } as never);
      await client.resolveIncident({ incidentKey: keyOf(ctx.params.key) });
      ctx.status = 204;
    } catch (err) {
      throw engineProblem(err, { 404: `incident ${ctx.params.key} is already resolved or does not exist` });
    }
  });

  return router;
}
