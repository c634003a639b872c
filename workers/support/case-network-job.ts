import { CasesError, NetworkCasesService, type ChangeContext } from '../../domain/cases/network/service.js';
import { domainWorker, type Job, type Vars } from './domain-job.js';

export { given } from './domain-job.js';

/** A job worker of the network cases (relocation, shut-off, inspection): see domainWorker; cases' refusals only. */
export const networkCaseWorker = (
  jobType: string,
  run: (service: NetworkCasesService, vars: Vars, change: ChangeContext, job: Job) => Promise<Vars>,
) =>
  domainWorker(
    jobType,
    { service: (knex) => new NetworkCasesService(knex), refusal: CasesError, clearsProblem: true },
    run,
  );
