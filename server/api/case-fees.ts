import Router from '@koa/router';
import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import type { Knex } from 'knex';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { ConnectionService, type FeePaymentResult } from '../../domain/cases/connection/service.js';
import { CASE_READERS, PAYMENT_CASHIERS } from '../auth/roles.js';
import { requireUser } from '../auth/routes.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { engineStatus } from '../camunda/errors.js';

/** A payment reaches a case that starts waiting a moment later (the fee check runs while the cashier posts). */
const FEE_PAID_TTL_MS = 3600_000;

/**
 * Tells the case's process (new-connection waits for `case-fee-paid` by case number) that its fees were paid. The
 * payment stands whatever happens here: a failure is logged, and the message id makes a repeat publish nothing twice.
 */
export async function announceFeePaid(
  client: CamundaClient | undefined,
  paid: FeePaymentResult,
  log?: Logger,
): Promise<void> {
  const messageId = `case-fee-paid:${paid.paymentId}`;
  if (!client) {
    log?.warn({ messageId }, 'case fee paid but the process engine is not connected: nothing published');
    return;
  }
  try {
    await client.publishMessage({
      name: 'case-fee-paid',
      correlationKey: paid.caseNo,
      timeToLive: FEE_PAID_TTL_MS,
      messageId,
      variables: { feePaymentId: paid.paymentId },
    });
  } catch (err) {
    // 409: a message of that id is still buffered — it was published before.
    if (engineStatus(err) === 409) return;
    log?.error({ messageId, caseNo: paid.caseNo, status: engineStatus(err), err }, 'case-fee-paid not published');
  }
}

/**
 * /api/business-cases/:caseNo/fees: 业务收费 of a new connection at the counter — the fees and payments of the case,
 * and the cashier's payment (all that is due, once per serial, in the cashier's day), after which the waiting
 * case carries on. Refusals are the cases domain's (404/409/422 naming the field).
 */
export function caseFeesRouter(knex: Knex, clients?: EngineClients): Router {
  const connection = new ConnectionService(knex);
  const router = new Router({ prefix: '/api/business-cases/:caseNo/fees' });
  const me = (ctx: Koa.Context) => ctx.state.user as User;

  router.get('/', requireUser(...CASE_READERS), async (ctx) => {
    ctx.body = await connection.fees(ctx.params.caseNo);
  });

  router.post('/payments', requireUser(...PAYMENT_CASHIERS), async (ctx) => {
    const username = me(ctx).username;
    const paid = await connection.payFees(ctx.params.caseNo, ctx.request.body ?? {}, { actor: username });
    // A replay announces again: had the first announcement failed, this one repairs it (the id de-duplicates).
    await announceFeePaid(clients?.forUser(username), paid, ctx.state.log);
    ctx.status = paid.replayed ? 200 : 201;
    ctx.body = paid;
  });

  return router;
}
