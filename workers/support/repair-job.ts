import type { JobWorkerConfig, WorkerContext } from '../index.js';
import { RepairError, RepairService, type ChangeContext } from '../../domain/repair/service.js';

type Job = Parameters<JobWorkerConfig['jobHandler']>[0];
type Vars = Record<string, unknown>;

/**
 * The shape of every repair job worker (as workers/support/accounts-job.ts for accounts): the job key is the
 * idempotency key and goes with the process instance key into the audit rows. A 422 from the domain is the BPMN
 * error `invalid-input` (the model sends the form back, showing `problem`, which that step's worker clears when it
 * succeeds: only it may, as escalations run beside it); other refusals are BPMN errors with
 * the domain's code (an incident where the model does not catch them); anything else fails the job (retries).
 */
export function repairWorker(
  jobType: string,
  run: (service: RepairService, vars: Vars, change: ChangeContext, job: Job) => Promise<Vars>,
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
        const out = await run(new RepairService(ctx.knex), job.variables as Vars, change, job);
        return job.complete(out);
      } catch (err) {
        if (!(err instanceof RepairError)) throw err;
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

/** A form's text value: empty strings and null mean "not given". */
export function given(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}
