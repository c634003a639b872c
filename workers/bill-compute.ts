import { BillingService } from '../domain/billing/service.js';
import { billingWorker, runIdOf } from './support/billing-job.js';

/**
 * bill-run: computes every bill of the period set-based (chunks of accounts, progress on the run row). The
 * review threshold is the run's, else the `reviewThresholdFen` task header (edited in the modeler).
 * Bills above it come back as `reviewBills` for the review tasks.
 */
export default billingWorker(
  'bill-compute',
  async ({ knex }, v, change, job) => {
    const header = (job.customHeaders as Record<string, string> | undefined)?.reviewThresholdFen;
    const r = await new BillingService(knex).computeRun(runIdOf(v), {
      reviewThresholdFen: header !== undefined && header !== '' ? Number(header) : null,
      ctx: change,
    });
    return { reviewBills: r.review, accountsTotal: r.total, accountsWithoutTariff: r.withoutTariff };
  },
  { jobTimeoutMs: 15 * 60_000, maxParallelJobs: 1 },
);
