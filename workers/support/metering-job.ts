import type { ChangeContext } from '../../domain/audit/audit.js';
import { MeteringError, MeteringService } from '../../domain/metering/service.js';
import { domainWorker, type Job, type Vars } from './domain-job.js';

/** A metering job worker (see domainWorker): a successful step clears the problem a refusal showed. */
export const meteringWorker = (
  jobType: string,
  run: (service: MeteringService, vars: Vars, change: ChangeContext, job: Job) => Promise<Vars>,
) =>
  domainWorker(
    jobType,
    { service: (knex) => new MeteringService(knex), refusal: MeteringError, clearsProblem: true },
    run,
  );
