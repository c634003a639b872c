import { PaymentsError, PaymentsService } from '../domain/payments/service.js';
import { domainWorker, given } from './support/domain-job.js';

/**
 * payment-reversal (冲正审批), once a manager approved: reverses the payment as approved. A payment reversed
 * already (a job delivered twice, a cashier's own reversal meanwhile) is done, not a refusal. The approver is
 * `approvedBy` when the approval screen sets it, else the process instance, whose record log names who completed
 * the approval task.
 */
export default domainWorker(
  'payment-reverse',
  { service: (knex) => new PaymentsService(knex), refusal: PaymentsError, clearsProblem: true },
  async (payments, v, change) => {
    const paymentId = Number(v.paymentId);
    const by = given(v.approvedBy) ?? `payment-reversal:${change.processInstanceKey}`;
    try {
      const done = await payments.reverse(paymentId, { reason: v.reason }, change, { by });
      return { reversed: true, balanceFen: done.balanceFen, arrearsFen: done.arrearsFen, creditFen: done.creditFen };
    } catch (err) {
      if (err instanceof PaymentsError && err.code === 'already_reversed') return { reversed: true };
      throw err;
    }
  },
);
