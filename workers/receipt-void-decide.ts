import { ReceiptsError, ReceiptsService } from '../domain/receipts/service.js';
import { domainWorker, given } from './support/domain-job.js';

/**
 * receipt-void (票据作废审批): applies the manager's decision on the form's open void request. Approved, the form
 * is voided for ever; refused, it keeps its state. Keyed by the job key, so a job delivered twice decides once.
 */
export default domainWorker(
  'receipt-void-decide',
  { service: (knex) => new ReceiptsService(knex), refusal: ReceiptsError, clearsProblem: true },
  async (receipts, v, change) => {
    const decided = await receipts.decideVoid(
      { formType: v.formType, series: v.series, formNo: v.formNo },
      v.approved === true,
      change,
      (given(v.note) ?? '').slice(0, 200),
    );
    return { formState: decided.state };
  },
);
