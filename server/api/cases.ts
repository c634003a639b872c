import Router from '@koa/router';
import type { Knex } from 'knex';
import { z } from 'zod';
import { AccountsError, AccountsService } from '../../domain/accounts/service.js';
import { requireUser } from '../auth/routes.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { engineProblem } from '../camunda/errors.js';
import { problem } from '../http/problem.js';
import { ACCOUNT_WRITERS } from './customers.js';

/**
 * The account processes a clerk starts from the customer 360 (processes/accounts). Opening starts from the
 * customer list with no account; the others carry the account number, which their models and the 360's case list
 * key on.
 */
export const ACCOUNT_PROCESSES = [
  'account-opening',
  'account-transfer',
  'certificate-reissue',
  'account-suspension',
  'account-demolition',
] as const;

const StartBody = z.object({
  processId: z.enum(ACCOUNT_PROCESSES),
  accountNo: z.string().trim().min(1).max(40).optional(),
});

/** POST /api/cases: start an account process as the signed-in clerk (the record log names them). */
export function casesRouter(knex: Knex, clients: EngineClients): Router {
  const accounts = new AccountsService(knex);
  const router = new Router({ prefix: '/api/cases' });

  router.post('/', requireUser(...ACCOUNT_WRITERS), async (ctx) => {
    const { processId, accountNo } = StartBody.parse(ctx.request.body ?? {});
    const variables: Record<string, unknown> = {};
    if (processId !== 'account-opening') {
      if (!accountNo) throw problem(422, undefined, 'accountNo: required for this process', { field: 'accountNo' });
      const view = await accounts.get360(accountNo).catch((err) => {
        if (err instanceof AccountsError) throw problem(err.status, undefined, err.message, { field: 'accountNo' });
        throw err;
      });
      if (view.account.status === 'closed')
        throw problem(409, undefined, `account ${view.account.accountNo} is closed`, { field: 'accountNo' });
      // customerName rides along so the inbox can show and filter tasks by customer without a lookup per task.
      Object.assign(variables, { accountNo: view.account.accountNo, customerName: view.customer.name });
    }
    try {
      const started = await clients.forUser((ctx.state.user as User).username).createProcessInstance({
        processDefinitionId: processId as never,
        variables,
      });
      ctx.status = 201;
      ctx.body = { processInstanceKey: started.processInstanceKey, processDefinitionId: processId };
    } catch (err) {
      throw engineProblem(err);
    }
  });

  return router;
}
