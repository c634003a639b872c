import { BillingService } from '../domain/billing/service.js';
import { billingWorker } from './support/billing-job.js';

/**
 * bill-run: binds the instance to the period's run (created by the API, or here when the process was started
 * directly). Another instance already running that period ends at "already running" (BPMN error
 * `run_exists`): one run per period.
 */
export default billingWorker('bill-run-open', async ({ knex }, v, change) => {
  const run = await new BillingService(knex).openRunForInstance(v.period, change);
  return { runId: run.id, period: run.period };
});
