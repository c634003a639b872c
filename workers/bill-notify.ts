import { BillingService } from '../domain/billing/service.js';
import { billingWorker, runIdOf } from './support/billing-job.js';

/** bill-run: a notification record per posted bill (SMS/WeChat adapters send them later); the run is done. */
export default billingWorker(
  'bill-notify',
  async ({ knex }, v) => {
    const r = await new BillingService(knex).finishRun(runIdOf(v));
    return { notifications: r.notifications };
  },
  { jobTimeoutMs: 10 * 60_000, maxParallelJobs: 1 },
);
