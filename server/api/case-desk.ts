import Router from '@koa/router';
import type { Knex } from 'knex';
import type Koa from 'koa';
import type { CaseSummary, CaseView } from '../../contracts/cases.js';
import { renderApplicationReceipt } from '../../documents/cases/application-receipt.js';
import { CasesService } from '../../domain/cases/service.js';
import { maskedCase } from '../../domain/cases/personal-data.js';
import { requireUser } from '../auth/routes.js';
import { CASE_PERSONAL_DATA, CASE_INTAKE, CASE_READERS } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import { CaseStages, type CaseStageInfo, type OpenTask } from '../camunda/case-stage.js';
import type { EngineClients } from '../camunda/clients.js';

/**
 * The public status page's address for a case. It lives on the same server as the receipt verification page, whose
 * public address the utility already keeps in `payment_settings.verify_base_url`: its origin + `/status/<token>`.
 */
export async function statusUrl(knex: Knex, token: string): Promise<string> {
  const settings = await knex('cis.payment_settings').first('verify_base_url');
  const origin = new URL(settings?.verify_base_url ?? 'http://localhost:8080/').origin;
  return `${origin}/status/${encodeURIComponent(token)}`;
}

export type DeskCase = CaseSummary & Pick<CaseStageInfo, 'stage' | 'activeStages'>;
export type DeskCaseView = CaseView & CaseStageInfo & { openTasks: OpenTask[]; statusUrl: string };

const me = (ctx: Koa.Context) => ctx.state.user as User;

/** Maps with at most `n` calls in flight (the engine is asked per case). */
async function mapLimited<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, run));
  return out;
}

/**
 * The front desk (一口对外) beside /api/business-cases: the application receipt with its QR code, cases with where
 * each stands, one case with its open tasks. Stages are read through the server's service client (see CaseStages).
 */
export function caseDeskRouter(knex: Knex, clients?: EngineClients): Router {
  const cases = new CasesService(knex);
  const stages = new CaseStages(() => clients?.service?.());
  const router = new Router();

  router.get('/api/business-cases/:caseNo/receipt.pdf', requireUser(...CASE_INTAKE), async (ctx) => {
    const c = await cases.view(ctx.params.caseNo);
    const settings = await knex('cis.payment_settings').first('utility_name');
    const pdf = await renderApplicationReceipt({
      utility: settings?.utility_name ?? '',
      caseNo: c.caseNo,
      caseType: c.caseType,
      createdAt: c.createdAt,
      applicantName: c.applicantName,
      address: c.address,
      accountNo: c.accountNo,
      details: c.details,
      statusUrl: await statusUrl(knex, c.publicToken),
    });
    ctx.type = 'application/pdf';
    ctx.set('Content-Disposition', `inline; filename="${c.caseNo}.pdf"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = pdf;
  });

  /** Cases (a customer's, an account's, or all by type and status) with the stage each stands at. */
  router.get('/api/case-desk/cases', requireUser(...CASE_READERS), async (ctx) => {
    const list = await cases.list(ctx.query);
    ctx.body = {
      items: await mapLimited(list, 4, async (c): Promise<DeskCase> => {
        const { stage, activeStages } = await stages.of(c);
        return { ...c, stage, activeStages };
      }),
    };
  });

  /** One case as the case page shows it: stage, the type's stages, its open tasks, personal data masked by role. */
  router.get('/api/case-desk/cases/:caseNo', requireUser(...CASE_READERS), async (ctx) => {
    const c = await cases.view(ctx.params.caseNo);
    const [info, openTasks] = await Promise.all([stages.of(c), stages.openTasks(c.processInstanceKey)]);
    const full = me(ctx).roles.some((r) => CASE_PERSONAL_DATA.includes(r));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ...(full ? c : maskedCase(c)),
      ...info,
      openTasks,
      statusUrl: await statusUrl(knex, c.publicToken),
    } satisfies DeskCaseView;
  });

  return router;
}
