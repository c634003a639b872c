import { BillingService } from '../domain/billing/service.js';
import { billingWorker } from './support/billing-job.js';

/** late-fee-accrual: the day's late fees (`asOf`, the day just ended in China time); idempotent per day. */
export default billingWorker(
  'late-fee-accrue',
  async ({ knex }, v, change) => {
    const r = await new BillingService(knex).accrueLateFees(v.asOf, change);
    return { lateFeeAccruals: r.accruals, lateFeeFen: r.amountFen };
  },
  { jobTimeoutMs: 10 * 60_000, maxParallelJobs: 1 },
);
