import type { Knex } from 'knex';
import type { JobWorkerConfig, WorkerContext } from './types.js';
import type { ChangeContext } from '../../domain/audit/audit.js';
import type { DomainError } from '../../domain/errors.js';

export type Job = Parameters<JobWorkerConfig['jobHandler']>[0];
export type Vars = Record<string, unknown>;

export interface DomainJob<S> {
  /** The module's service over the worker's database handle (and, where it writes files, the data dir). */
  service: (knex: Knex, ctx: WorkerContext) => S;
  /** The module's refusals: these become BPMN errors, anything else fails the job. */
  refusal: abstract new (...args: never[]) => DomainError;
  /** Whether a successful step clears the `problem`/`problemField` a refusal left for the form. */
  clearsProblem: boolean;
}

/**
 * The shape the domain modules' job workers share: the job key is the idempotency key (the engine delivers at
 * least once) and, with the process instance key, goes into the audit rows. A refusal by the domain becomes a
 * BPMN error the model catches (code `invalid-input` for 422, else the domain's code, e.g. `arrears`,
 * `already_closed`), carrying `problem` and `problemField` for the clerk's form; an uncaught one is an
 * incident naming the problem. Anything else fails the job (retries, then an incident).
 */
export function domainWorker<S>(
  jobType: string,
  domain: DomainJob<S>,
  run: (service: S, vars: Vars, change: ChangeContext, job: Job) => Promise<Vars>,
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
        const out = await run(domain.service(ctx.knex, ctx), job.variables as Vars, change, job);
        return job.complete(domain.clearsProblem ? { ...out, problem: null, problemField: null } : out);
      } catch (err) {
        if (!(err instanceof domain.refusal)) throw err;
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
