import { einvoiceProvider, redLetterBatch } from '../documents/einvoice/utility.js';
import { PaymentsError, PaymentsService } from '../domain/payments/service.js';
import { ReceiptsService } from '../domain/receipts/service.js';
import { domainWorker, given } from './support/domain-job.js';

/**
 * payment-reversal (冲正审批), once a manager approved: reverses the payment as approved, and its e-invoices are
 * red-lettered (红冲) as a counter reversal's are. A payment reversed already (a job delivered twice, a cashier's
 * own reversal meanwhile) is done, not a refusal — and a delivery after a failed red-letter retries it, since
 * only invoices still issued are taken back. The approver is `approvedBy` when the approval screen sets it,
 * else the process instance, whose record log names who completed the approval task.
 */
export default domainWorker(
  'payment-reverse',
  {
    service: (knex, ctx) => ({
      payments: new PaymentsService(knex),
      receipts: new ReceiptsService(knex),
      einvoices: einvoiceProvider(knex, ctx.dataDir ?? './data'),
    }),
    refusal: PaymentsError,
    clearsProblem: true,
  },
  async ({ payments, receipts, einvoices }, v, change) => {
    const paymentId = Number(v.paymentId);
    const by = given(v.approvedBy) ?? `payment-reversal:${change.processInstanceKey}`;
    let position = {};
    try {
      const done = await payments.reverse(paymentId, { reason: v.reason }, change, { by });
      position = { balanceFen: done.balanceFen, arrearsFen: done.arrearsFen, creditFen: done.creditFen };
    } catch (err) {
      if (!(err instanceof PaymentsError && err.code === 'already_reversed')) throw err;
    }
    const { batch } = await payments.getPayment(paymentId);
    const red = await redLetterBatch(receipts, await einvoices(), batch, String(v.reason), change.actor);
    return { reversed: true, ...position, redLettered: red.map((r) => r.invoiceNo) };
  },
);
