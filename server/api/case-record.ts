import Router from '@koa/router';
import type { Knex } from 'knex';
import type Koa from 'koa';
import type { CaseRecord, CaseStatistics } from '../../contracts/case-record.js';
import type { CaseView } from '../../contracts/cases.js';
import { statisticsCsv, statisticsXlsx } from '../../domain/cases/record/export.js';
import { maskedCase } from '../../domain/cases/personal-data.js';
import { caseRecordDocument } from '../../domain/cases/record/record-doc.js';
import { CaseRecordService } from '../../domain/cases/record/service.js';
import { stepStatistics } from '../../domain/cases/record/statistics.js';
import type { EngineStep, InstanceSpan } from '../../domain/cases/record/steps.js';
import { renderPdf } from '../../documents/render.js';
import { requireUser } from '../auth/routes.js';
import { CASE_PERSONAL_DATA, CASE_READERS, MANAGERS, OVERSIGHT } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import { CaseSteps } from '../camunda/case-steps.js';
import type { EngineClients } from '../camunda/clients.js';

const me = (ctx: Koa.Context) => ctx.state.user as User;

function forReader(c: CaseView, user: User): CaseView {
  return user.roles.some((r) => CASE_PERSONAL_DATA.includes(r)) ? c : maskedCase(c);
}

/**
 * The case record and the case statistics (考核), M7. Steps come from the engine through the official client acting
 * as the reader (every staff role reads instances and tasks); the rest from the domain. Mount before
 * /api/business-cases' own router: its `/:caseNo` would otherwise take `/statistics`.
 */
export function caseRecordRouter(knex: Knex, clients?: EngineClients): Router {
  const service = new CaseRecordService(knex);
  const router = new Router({ prefix: '/api/business-cases' });

  async function record(ctx: Koa.Context): Promise<CaseRecord> {
    const user = me(ctx);
    const c = await service.find(ctx.params.caseNo);
    const read =
      clients && c.processInstanceKey
        ? await new CaseSteps(clients.forUser(user.username)).ofCase(c.processInstanceKey)
        : { steps: [], span: null };
    const r = await service.record(c.caseNo, read.steps, read.span);
    return { ...r, case: forReader(r.case, user) };
  }

  async function statistics(ctx: Koa.Context): Promise<CaseStatistics> {
    const facts = await service.periodFacts(ctx.query);
    const byInstance = new Map<string, EngineStep[]>();
    const spans = new Map<string, InstanceSpan>();
    if (clients && facts.cases.length) {
      const reader = new CaseSteps(clients.forUser(me(ctx).username));
      const from = facts.filter.from ?? facts.cases.map((c) => c.createdAt).sort()[0];
      for (const caseType of new Set(facts.cases.map((c) => c.caseType))) {
        const read = await reader.ofType(caseType, from);
        for (const [pi, steps] of read.steps) byInstance.set(pi, steps);
        for (const [pi, span] of read.spans) spans.set(pi, span);
      }
    }
    return {
      from: facts.filter.from ?? null,
      to: facts.filter.to ?? null,
      caseType: facts.filter.caseType ?? null,
      byTypeAndStatus: facts.byTypeAndStatus,
      ...stepStatistics(facts.cases, byInstance, facts.calendar, spans),
      escalationsByGroup: facts.escalationsByGroup,
      monthly: facts.monthly,
    };
  }

  router.get('/statistics', requireUser(...OVERSIGHT), async (ctx) => {
    ctx.body = await statistics(ctx);
  });

  router.get('/statistics.csv', requireUser(...OVERSIGHT), async (ctx) => {
    const csv = statisticsCsv(await statistics(ctx));
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', 'attachment; filename="case-statistics.csv"');
    ctx.body = csv;
  });

  router.get('/statistics.xlsx', requireUser(...OVERSIGHT), async (ctx) => {
    const xlsx = await statisticsXlsx(await statistics(ctx));
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.set('Content-Disposition', 'attachment; filename="case-statistics.xlsx"');
    ctx.body = xlsx;
  });

  // The working calendar step times are measured on (the utility's hours, holidays and make-up days).
  router.get('/work-calendar', requireUser(...OVERSIGHT), async (ctx) => {
    ctx.body = await service.calendar();
  });

  router.put('/work-calendar', requireUser(...MANAGERS), async (ctx) => {
    ctx.body = await service.updateCalendar(ctx.request.body ?? {}, { actor: me(ctx).username });
  });

  router.get('/:caseNo/record', requireUser(...CASE_READERS), async (ctx) => {
    ctx.body = await record(ctx);
  });

  router.get('/:caseNo/record.pdf', requireUser(...CASE_READERS), async (ctx) => {
    const r = await record(ctx);
    const pdf = await renderPdf(caseRecordDocument(r, new Date()));
    ctx.type = 'application/pdf';
    ctx.set('Content-Disposition', `inline; filename="${r.case.caseNo}-record.pdf"`);
    ctx.body = pdf;
  });

  return router;
}
