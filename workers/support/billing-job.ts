import type { JobWorkerConfig, WorkerContext } from './types.js';
import type { ChangeContext } from '../../domain/audit/audit.js';
import { BillingError } from '../../domain/billing/errors.js';
import type { Job, Vars } from './domain-job.js';

/**
 * The shape of the billing job workers: each step is idempotent by the state it leaves (already billed
 * accounts are skipped, posted bills are not posted again, notifications are unique per bill), so a job
 * delivered twice has one effect. A refusal by the domain becomes a BPMN error with the domain's code and
 * `problem`; anything else fails the job (retries, then an incident).
 */
export function billingWorker(
  jobType: string,
  run: (ctx: WorkerContext, vars: Vars, change: ChangeContext, job: Job) => Promise<Vars>,
  opts: { jobTimeoutMs?: number; maxParallelJobs?: number } = {},
): (ctx: WorkerContext) => JobWorkerConfig {
  return (ctx) => ({
    jobType,
    maxParallelJobs: opts.maxParallelJobs ?? 2,
    jobTimeoutMs: opts.jobTimeoutMs ?? 60_000,
    pollTimeoutMs: 30_000,
    jobHandler: async (job) => {
      const change: ChangeContext = {
        actor: `worker:${jobType}`,
        processInstanceKey: String(job.processInstanceKey),
        taskKey: String(job.jobKey),
      };
      try {
        return job.complete(await run(ctx, job.variables as Vars, change, job));
      } catch (err) {
        if (!(err instanceof BillingError)) throw err;
        ctx.logger.info({ jobType, jobKey: job.jobKey, code: err.code }, 'refused by the domain');
        return job.error({ errorCode: err.code, errorMessage: err.message, variables: { problem: err.message } });
      }
    },
  });
}

/** A run id from the process variables. */
export function runIdOf(vars: Vars): number {
  const id = Number(vars.runId);
  if (!Number.isInteger(id) || id <= 0) throw new BillingError(422, 'invalid', 'runId: missing', 'runId');
  return id;
}
