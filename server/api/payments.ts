import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { PaymentResult } from '../../contracts/payments.js';
import { DayInput, parse, ReasonInput, RefundInput } from '../../domain/payments/schemas.js';
import { PaymentsService } from '../../domain/payments/service.js';
import { ReceiptsService } from '../../domain/receipts/service.js';
import { redLetterBatch } from '../../documents/einvoice/utility.js';
import type { EInvoiceProvider } from '../../documents/einvoice/index.js';
import {
  CLOSE_READERS,
  PAYMENT_CASHIERS,
  PAYMENT_READERS,
  REFUND_REQUESTERS,
  REVERSAL_REQUESTERS,
} from '../auth/roles.js';
import { requireUser } from '../auth/routes.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { READ } from '../camunda/consistency.js';
import { engineProblem, engineStatus } from '../camunda/errors.js';
import { problem } from '../http/problem.js';

/** A settlement reaches a process that starts waiting a moment later (processes/accounts/README.md). */
const SETTLEMENT_TTL_MS = 3600_000;

const RefundBody = z.object({ accountNo: z.string().trim().min(1, 'is required').max(30) });

const paymentIdOf = (raw: string): number => {
  if (!/^\d{1,15}$/.test(raw)) throw problem(404, 'Not Found', `no payment ${raw}`);
  return Number(raw);
};
const yuanText = (fen: number) => (fen / 100).toFixed(2);

/** The engine refused to start an approval: a missing grant is said as such (the admin screen adds it), not as a 502. */
function startProblem(err: unknown, processId: string, username: string) {
  if (engineStatus(err) === 403)
    return problem(
      403,
      'Forbidden',
      `the process engine does not let ${username} start ${processId} (CREATE_PROCESS_INSTANCE on ${processId}): an admin grants it to the role`,
      { code: 'engine-forbidden' },
    );
  return engineProblem(err, { 404: `the ${processId} process is not deployed` });
}

/**
 * Tells the account processes waiting for a settlement (account-transfer and account-demolition wait for
 * `arrears-settled` by account number) that the payment cleared the arrears they found (`settlementAwaited`).
 * The payment is posted whatever happens here: a failure is logged, and the message id makes a repeat (a
 * replayed submission, a retry) publish nothing twice.
 */
async function announceSettlements(
  clients: EngineClients | undefined,
  username: string,
  result: PaymentResult,
  log: Logger | undefined,
): Promise<void> {
  for (const p of result.payments.filter((x) => x.settlementAwaited)) {
    const messageId = `arrears-settled:${p.paymentId}`;
    if (!clients) {
      log?.warn({ messageId }, 'arrears settled but the process engine is not connected: nothing published');
      continue;
    }
    try {
      await clients.forUser(username).publishMessage({
        name: 'arrears-settled',
        correlationKey: p.accountNo,
        timeToLive: SETTLEMENT_TTL_MS,
        messageId,
        variables: { settledByPaymentId: p.paymentId },
      });
    } catch (err) {
      // 409: a message of that id is still buffered — it was published before.
      if (engineStatus(err) === 409) continue;
      log?.error(
        { messageId, accountNo: p.accountNo, status: engineStatus(err), err },
        'arrears-settled not published',
      );
    }
  }
}

/**
 * /api/payments: the counter (M3). Posting a payment (exactly once per serial; allocation oldest debt first,
 * the rest prepaid credit), the account as the cashier sees it, same-day reversal by the cashier who took it,
 * approvals (payment-reversal, credit-refund processes started through the official client acting as the
 * signed-in user), and the cashier's day (日结). Refusals are the payments domain's (404/409/422 naming the field).
 */
export function paymentsRouter(
  knex: Knex,
  clients: EngineClients | undefined,
  provider: () => Promise<EInvoiceProvider>,
): Router {
  const payments = new PaymentsService(knex);
  const receipts = new ReceiptsService(knex);
  const router = new Router({ prefix: '/api/payments' });
  const me = (ctx: Koa.Context) => ctx.state.user as User;
  const change = (ctx: Koa.Context) => ({ actor: me(ctx).username });
  const body = (ctx: Koa.Context): unknown => (ctx.request as Koa.Request & { body?: unknown }).body ?? {};
  const engine = (ctx: Koa.Context) => {
    if (!clients) throw problem(503, 'Service Unavailable', 'the process engine is not connected');
    return clients.forUser(me(ctx).username);
  };

  router.post('/', requireUser(...PAYMENT_CASHIERS), async (ctx) => {
    const result = await payments.post(body(ctx), change(ctx));
    // A replay announces again: had the first announcement failed, this one repairs it (the id de-duplicates).
    await announceSettlements(clients, me(ctx).username, result, ctx.state.log);
    ctx.status = result.replayed ? 200 : 201;
    ctx.body = result;
  });

  router.get('/accounts/:accountNo', requireUser(...PAYMENT_READERS), async (ctx) => {
    ctx.body = await payments.counterAccount(ctx.params.accountNo);
  });

  // Same day, same cashier, day not closed; otherwise 409 reversal_needs_approval and the UI asks for approval.
  router.post('/:paymentId/reversal', requireUser(...PAYMENT_CASHIERS), async (ctx) => {
    const paymentId = paymentIdOf(ctx.params.paymentId);
    const reversed = await payments.reverse(paymentId, body(ctx), change(ctx));
    const { batch } = await payments.getPayment(paymentId);
    let redLettered: string[] = [];
    try {
      const red = await redLetterBatch(receipts, await provider(), batch, reversed.reason, me(ctx).username);
      redLettered = red.map((r) => r.invoiceNo);
    } catch (err) {
      ctx.state.log?.error({ err, batch }, 'e-invoice of a reversed payment not red-lettered');
    }
    ctx.body = { ...reversed, redLettered };
  });

  router.post('/:paymentId/reversal-requests', requireUser(...REVERSAL_REQUESTERS), async (ctx) => {
    const paymentId = paymentIdOf(ctx.params.paymentId);
    const { reason } = parse(ReasonInput, body(ctx));
    const payment = await payments.getPayment(paymentId);
    const history = await payments.accountPayments(payment.accountNo);
    if (history.payments.some((p) => p.paymentId === paymentId && p.reversed))
      throw problem(409, 'Conflict', `payment ${paymentId} was reversed before`, { code: 'already_reversed' });
    const client = engine(ctx);
    // One approval per payment at a time: a second request would only ask the manager twice.
    let pending;
    try {
      pending = await client.searchProcessInstances(
        {
          filter: {
            processDefinitionId: 'payment-reversal',
            state: 'ACTIVE',
            variables: [{ name: 'paymentId', value: JSON.stringify(paymentId) }],
          },
          page: { limit: 1 },
        } as never,
        READ,
      );
    } catch (err) {
      throw engineProblem(err);
    }
    if (pending.items.length)
      throw problem(409, 'Conflict', `payment ${paymentId} is awaiting a manager's approval already`, {
        code: 'reversal_pending',
        processInstanceKey: String(pending.items[0].processInstanceKey),
      });
    let processInstanceKey: string;
    try {
      const started = await client.createProcessInstance({
        processDefinitionId: 'payment-reversal' as never,
        variables: {
          paymentId,
          reason,
          requestedBy: me(ctx).username,
          accountNo: payment.accountNo,
          cashier: payment.cashier,
          amountFen: payment.amountFen,
          amountYuan: yuanText(payment.amountFen),
        },
      });
      processInstanceKey = String(started.processInstanceKey);
    } catch (err) {
      throw startProblem(err, 'payment-reversal', me(ctx).username);
    }
    ctx.status = 201;
    ctx.body = { processInstanceKey, paymentId, accountNo: payment.accountNo };
  });

  // The request is written (and checked against the credit) before the approval starts: bad input is a 4xx here.
  router.post('/refunds', requireUser(...REFUND_REQUESTERS), async (ctx) => {
    const input = body(ctx);
    const a = RefundBody.safeParse(input);
    if (!a.success)
      throw problem(422, 'Unprocessable Content', `accountNo: ${a.error.issues[0].message}`, { field: 'accountNo' });
    const { reason } = parse(RefundInput, input);
    const client = engine(ctx);
    const refund = await payments.requestRefund(a.data.accountNo, input, change(ctx));
    const accountNo = a.data.accountNo.toUpperCase();
    let processInstanceKey: string;
    try {
      const started = await client.createProcessInstance({
        processDefinitionId: 'credit-refund' as never,
        variables: {
          refundId: refund.refundId,
          accountNo,
          amountFen: refund.amountFen,
          amountYuan: yuanText(refund.amountFen),
          creditYuan: yuanText(refund.creditFen),
          reason,
          requestedBy: me(ctx).username,
        },
      });
      processInstanceKey = String(started.processInstanceKey);
    } catch (err) {
      // No approval will ever decide it: the request is closed as rejected, so it may be made again.
      await payments.decideRefund(
        refund.refundId,
        { approved: false, note: 'the credit-refund approval could not be started' },
        change(ctx),
      );
      throw startProblem(err, 'credit-refund', me(ctx).username);
    }
    ctx.status = 201;
    ctx.body = { ...refund, accountNo, processInstanceKey };
  });

  router.get('/day', requireUser(...PAYMENT_CASHIERS), async (ctx) => {
    const { day } = parse(DayInput, ctx.query);
    ctx.body = await payments.dailySummary(me(ctx).username, day);
  });

  router.post('/day/close', requireUser(...PAYMENT_CASHIERS), async (ctx) => {
    const { day } = parse(DayInput, body(ctx));
    ctx.body = await payments.closeDay(me(ctx).username, change(ctx), day);
  });

  router.get('/closes', requireUser(...CLOSE_READERS), async (ctx) => {
    const { day } = parse(DayInput, ctx.query);
    // without a day: the utility's business day (the browser's calendar may be another time zone's)
    const shown = day ?? (await payments.businessDay());
    ctx.body = { day: shown, items: await payments.allCloses(shown) };
  });

  return router;
}
