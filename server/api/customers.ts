import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import { z } from 'zod';
import { AccountsService, type ChangeContext } from '../../domain/accounts/service.js';
import { problem } from '../http/problem.js';
import type { EngineClients } from '../camunda/clients.js';
import { READ } from '../camunda/consistency.js';
import { engineProblem, engineStatus } from '../camunda/errors.js';

/** Roles that may change customer data; every signed-in role may look it up (auditors included). */
export const ACCOUNT_WRITERS = ['clerk', 'manager', 'admin'];

interface SessionUser {
  username: string;
  roles: string[];
}

function signedIn(ctx: Koa.Context): SessionUser {
  const user = ctx.state.user as SessionUser | null | undefined;
  if (!user) throw problem(401, 'Unauthorized', 'sign in first');
  return user;
}

const mayWrite: Koa.Middleware = async (ctx, next) => {
  const user = signedIn(ctx);
  if (!user.roles.some((r) => ACCOUNT_WRITERS.includes(r)))
    throw problem(403, 'Forbidden', `needs one of the roles: ${ACCOUNT_WRITERS.join(', ')}`);
  await next();
};

const mayRead: Koa.Middleware = async (ctx, next) => {
  signedIn(ctx);
  await next();
};

/** The message account-suspension waits for (correlation key: the account number). */
const RESUME_MESSAGE = 'account-resume-requested';

/** An account number in a path: as the domain writes it (letters, digits, -), upper case; else 422 naming it. */
function accountNoOf(raw: string): string {
  const accountNo = raw.trim().toUpperCase();
  if (!/^[0-9A-Z-]{1,32}$/.test(accountNo))
    throw problem(422, 'Unprocessable Content', 'accountNo: letters, digits and - only (at most 32)', {
      field: 'accountNo',
    });
  return accountNo;
}

const SearchQuery = z.object({
  q: z.string().default(''),
  limit: z.coerce.number().int().default(20),
});

/**
 * /api/customers: the call-centre lookup, the customer 360 and the account operations for the
 * counter. Input is validated by the domain service (422 naming the field).
 */
export function customersRouter(knex: Knex, clients?: EngineClients): Router {
  const accounts = new AccountsService(knex);
  const router = new Router({ prefix: '/api/customers' });
  const changeContext = (ctx: Koa.Context): ChangeContext => ({ actor: signedIn(ctx).username });
  const body = (ctx: Koa.Context): unknown => (ctx.request as Koa.Request & { body?: unknown }).body ?? {};

  router.get('/search', mayRead, async (ctx) => {
    const parsed = SearchQuery.safeParse(ctx.query);
    if (!parsed.success) throw problem(422, 'Unprocessable Content', 'limit: must be an integer', { field: 'limit' });
    ctx.body = { items: await accounts.search(parsed.data.q, parsed.data.limit) };
  });

  router.get('/accounts/:accountNo', mayRead, async (ctx) => {
    const view = await accounts.get360(ctx.params.accountNo);
    ctx.body = clients
      ? { ...view, cases: await casesOf(clients, signedIn(ctx).username, ctx.params.accountNo) }
      : view;
  });

  router.post('/books', mayWrite, async (ctx) => {
    ctx.status = 201;
    ctx.body = await accounts.createBook(body(ctx), changeContext(ctx));
  });

  router.post('/accounts', mayWrite, async (ctx) => {
    const opened = await accounts.openAccount(body(ctx), changeContext(ctx));
    ctx.status = 201;
    ctx.set('Location', `/api/customers/accounts/${encodeURIComponent(opened.accountNo)}`);
    ctx.body = opened;
  });

  router.post('/accounts/:accountNo/transfer', mayWrite, async (ctx) => {
    ctx.body = await accounts.transferOwnership(ctx.params.accountNo, body(ctx), changeContext(ctx));
  });

  router.post('/accounts/:accountNo/certificate-reissue', mayWrite, async (ctx) => {
    ctx.body = await accounts.reissueCertificate(ctx.params.accountNo, body(ctx), changeContext(ctx));
  });

  router.post('/accounts/:accountNo/close', mayWrite, async (ctx) => {
    ctx.body = await accounts.closeAccount(ctx.params.accountNo, body(ctx), changeContext(ctx));
  });

  router.post('/accounts/:accountNo/suspend', mayWrite, async (ctx) => {
    ctx.body = await accounts.suspendAccount(ctx.params.accountNo, body(ctx), changeContext(ctx));
  });

  // 恢复 goes through the suspension process waiting for it (processes/accounts/account-suspension.bpmn): the
  // message resumes the account there, so the process ends and its timer cannot later resume it a second time.
  // An account suspended directly has no process (nor timer) and resumes at once (200 instead of 202).
  router.post('/accounts/:accountNo/resume', mayWrite, async (ctx) => {
    const accountNo = accountNoOf(ctx.params.accountNo);
    const { account } = await accounts.get360(accountNo);
    if (account.status !== 'suspended')
      throw problem(409, 'Conflict', `account ${accountNo} is ${account.status}, not suspended`, {
        code: 'not_suspended',
        field: 'accountNo',
      });
    if (!clients) throw problem(503, 'Service Unavailable', 'the process engine is not connected: nothing resumed');
    let correlated;
    try {
      correlated = await clients.forUser(signedIn(ctx).username).correlateMessage({
        name: RESUME_MESSAGE,
        correlationKey: accountNo,
        variables: { resumeRequestedBy: signedIn(ctx).username },
      });
    } catch (err) {
      // Suspended without the process (POST …/suspend): no timer waits to resume it, so it resumes here.
      if (engineStatus(err) === 404) {
        await accounts.resumeAccount(accountNo, changeContext(ctx));
        ctx.body = { accountNo, processInstanceKey: null, resumeRequested: false, resumed: true };
        return;
      }
      if (engineStatus(err) === 403)
        throw problem(
          403,
          'Forbidden',
          `the process engine does not let ${signedIn(ctx).username} publish ${RESUME_MESSAGE} (MESSAGE CREATE): an admin grants it to the role`,
          { code: 'engine-forbidden' },
        );
      throw engineProblem(err);
    }
    ctx.status = 202;
    ctx.body = { accountNo, processInstanceKey: String(correlated.processInstanceKey), resumeRequested: true };
  });

  router.post('/accounts/:accountNo/meter-replacement', mayWrite, async (ctx) => {
    ctx.body = await accounts.replaceMeter(ctx.params.accountNo, body(ctx), changeContext(ctx));
  });

  return router;
}

/**
 * The account's cases: process instances carrying its number in `accountNo` (every account process does),
 * found through the official client so the 360 view works against a Camunda cluster too.
 */
async function casesOf(clients: EngineClients, username: string, accountNo: string) {
  const found = await clients.forUser(username).searchProcessInstances(
    {
      filter: { variables: [{ name: 'accountNo', value: JSON.stringify(accountNo) }] },
      sort: [{ field: 'startDate', order: 'DESC' }],
      page: { limit: 50 },
    } as never,
    READ,
  );
  return found.items.map((pi) => ({
    processInstanceKey: pi.processInstanceKey,
    processDefinitionId: pi.processDefinitionId,
    processDefinitionName: pi.processDefinitionName ?? null,
    state: pi.state,
    startDate: pi.startDate,
    endDate: pi.endDate ?? null,
    hasIncident: pi.hasIncident,
  }));
}
