import Router from '@koa/router';
import type { Knex } from 'knex';
import type Koa from 'koa';
import type { CaseType } from '../../contracts/cases.js';
import { maskedCase } from '../../domain/cases/personal-data.js';
import { CasesService } from '../../domain/cases/service.js';
import { requireUser } from '../auth/routes.js';
import { CASE_INTAKE, CASE_PERSONAL_DATA, CASE_READERS } from '../auth/roles.js';
import { z } from 'zod';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { engineProblem, engineStatus } from '../camunda/errors.js';
import { problem } from '../http/problem.js';

const me = (ctx: Koa.Context) => ctx.state.user as User;

/** Inspections and shut-offs come from the field; the other case types are a customer's application. */
const FIELD_TYPES: CaseType[] = ['water-shutoff-approval', 'water-use-inspection'];
/** The front desk withdraws what the applicant withdraws (engineers open field cases, not applications). */
const CASE_WITHDRAWERS = ['clerk', 'manager', 'admin'];
const WithdrawBody = z.object({ reason: z.string().trim().max(200).default('') });

/**
 * /api/business-cases: the front desk's one window (一口对外). Opening a case writes the case row and starts the
 * process of the same id as the signed-in person (the record log names them). If the engine refuses the start,
 * the case is closed as cancelled, so the premises are free for a new application and nothing half-done stays.
 */
export function businessCasesRouter(knex: Knex, clients?: EngineClients): Router {
  const cases = new CasesService(knex);
  const router = new Router({ prefix: '/api/business-cases' });

  router.post('/', requireUser(...CASE_INTAKE), async (ctx) => {
    const user = me(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (user.roles.includes('engineer') && !user.roles.some((r) => r !== 'engineer' && CASE_INTAKE.includes(r)))
      if (!FIELD_TYPES.includes(body.caseType as CaseType))
        throw problem(403, 'Forbidden', `engineers open ${FIELD_TYPES.join(' and ')} cases only`);
    // without an engine the case could not move: refuse before writing anything
    if (!clients) throw problem(503, 'Service Unavailable', 'the process engine is not available; try again shortly');
    const opened = await cases.openCase(body, { actor: user.username });
    const variables = await cases.processVariables(opened.caseNo);
    let processInstanceKey: string;
    try {
      const started = await clients
        .forUser(user.username)
        .createProcessInstance({ processDefinitionId: opened.caseType as never, variables });
      processInstanceKey = String(started.processInstanceKey);
    } catch (err) {
      // the engine's refusal is what the clerk must hear, even if the compensation fails too (then logged)
      await cases
        .closeCase(
          opened.caseNo,
          // a code, not words: the case page words it in the reader's language (businessCases.outcome)
          { status: 'cancelled', outcome: 'process_not_started' },
          { actor: user.username },
        )
        .catch((closeErr) => ctx.state.log?.error({ err: closeErr, caseNo: opened.caseNo }, 'case not cancelled'));
      throw engineProblem(err, { 404: `the ${opened.caseType} process is not deployed` });
    }
    await cases.attachProcess(opened.caseNo, processInstanceKey, { actor: user.username });
    ctx.status = 201;
    ctx.set('Location', `/api/business-cases/${opened.caseNo}`);
    ctx.body = { ...opened, processInstanceKey };
  });

  // 撤回: the applicant withdraws. The models decide where that is possible (a new connection while its fee is
  // awaited); elsewhere no process waits for the message and the answer says so rather than acting beside it.
  router.post('/:caseNo/withdraw', requireUser(...CASE_WITHDRAWERS), async (ctx) => {
    const { reason } = WithdrawBody.parse(ctx.request.body ?? {});
    const c = await cases.view(ctx.params.caseNo);
    if (c.status !== 'open')
      throw problem(409, 'Conflict', `case ${c.caseNo} is ${c.status}`, { code: 'case_closed', field: 'caseNo' });
    if (!clients) throw problem(503, 'Service Unavailable', 'the process engine is not available; try again shortly');
    try {
      await clients.forUser(me(ctx).username).correlateMessage({
        name: 'case-withdrawn',
        correlationKey: c.caseNo,
        variables: { withdrawnBy: me(ctx).username, withdrawReason: reason },
      });
    } catch (err) {
      if (engineStatus(err) === 404)
        throw problem(409, 'Conflict', `case ${c.caseNo} cannot be withdrawn at its current step`, {
          code: 'not_withdrawable',
          field: 'caseNo',
        });
      throw engineProblem(err);
    }
    ctx.status = 202;
    ctx.body = { caseNo: c.caseNo, withdrawn: true };
  });

  router.get('/', requireUser(...CASE_READERS), async (ctx) => {
    ctx.body = { items: await cases.list(ctx.query) };
  });

  router.get('/:caseNo', requireUser(...CASE_READERS), async (ctx) => {
    const c = await cases.view(ctx.params.caseNo);
    ctx.body = me(ctx).roles.some((r) => CASE_PERSONAL_DATA.includes(r)) ? c : maskedCase(c);
  });

  return router;
}
