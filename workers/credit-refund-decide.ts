import { PaymentsError, PaymentsService } from '../domain/payments/service.js';
import { domainWorker, given } from './support/domain-job.js';

/**
 * credit-refund (退费审批): applies the manager's decision. Approved, the refund is paid out of the prepaid
 * credit; rejected, nothing moves. A decided refund answers as it stands (a job delivered twice pays once).
 * Credit spent meanwhile is the BPMN error `insufficient_credit`, which takes the request back to the approver.
 */
export default domainWorker(
  'credit-refund-decide',
  { service: (knex) => new PaymentsService(knex), refusal: PaymentsError, clearsProblem: true },
  async (payments, v, change) => {
    const decided = await payments.decideRefund(
      Number(v.refundId),
      { approved: v.approved === true, note: (given(v.note) ?? '').slice(0, 200) },
      change,
    );
    return { refundStatus: decided.status, creditFen: decided.creditFen };
  },
);
