import type { JobWorkerConfig, WorkerContext } from '../index.js';
import type { ChangeContext } from '../../domain/accounts/audit.js';
import { MeteringError, MeteringService } from '../../domain/metering/service.js';

type Job = Parameters<JobWorkerConfig['jobHandler']>[0];
type Vars = Record<string, unknown>;

/**
 * The shape every metering job worker shares (as accountsWorker does for accounts): the job key is the
 * idempotency key and goes with the process instance key into the audit rows. A domain refusal becomes a BPMN
 * error (`invalid-input` for 422, else the domain's code) carrying `problem` and `problemField` for the form;
 * anything else fails the job (retries, then an incident).
 */
export function meteringWorker(
  jobType: string,
  run: (service: MeteringService, vars: Vars, change: ChangeContext, job: Job) => Promise<Vars>,
): (ctx: WorkerContext) => JobWorkerConfig {
  return (ctx) => ({
    jobType,
    maxParallelJobs: 4,
    jobTimeoutMs: 60_000,
    pollTimeoutMs: 30_000,
    jobHandler: async (job) => {
      const change: ChangeContext = {
        actor: `worker:${jobType}`,
        processInstanceKey: String(job.processInstanceKey),
        taskKey: String(job.jobKey),
        idempotencyKey: `job:${job.jobKey}`,
      };
      try {
        const out = await run(new MeteringService(ctx.knex), job.variables as Vars, change, job);
        return job.complete({ ...out, problem: null, problemField: null });
      } catch (err) {
        if (!(err instanceof MeteringError)) throw err;
        ctx.logger.info({ jobType, jobKey: job.jobKey, code: err.code, field: err.field }, 'refused by the domain');
        return job.error({
          errorCode: err.status === 422 ? 'invalid-input' : err.code,
          errorMessage: err.message,
          variables: { problem: err.message, problemField: err.field ?? null },
        });
      }
    },
  });
}
