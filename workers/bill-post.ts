import { BillingService } from '../domain/billing/service.js';
import { billingWorker, runIdOf } from './support/billing-job.js';

/**
 * bill-run: applies the review decisions (output collection of the review tasks) and posts every approved
 * bill to the ledger, due `asOf` + the tariff's payment days.
 */
export default billingWorker(
  'bill-post',
  async ({ knex }, v, change) => {
    const decisions = Array.isArray(v.decisions) ? v.decisions : [];
    const r = await new BillingService(knex).postRun(runIdOf(v), decisions, String(v.asOf), change);
    return { billsPosted: r.posted, billsRejected: r.rejected, postedFen: r.amountFen };
  },
  { jobTimeoutMs: 10 * 60_000, maxParallelJobs: 1 },
);
