import { CasesError, CasesService, type ChangeContext } from '../../domain/cases/service.js';
import { domainWorker, type Job, type Vars } from './domain-job.js';

export { given } from './domain-job.js';

/**
 * A case job worker (see domainWorker). A case step that calls another module's service (accounts, payments,
 * repair) builds that service from the same database handle; only the cases' refusals become BPMN errors here.
 */
export const casesWorker = (
  jobType: string,
  run: (service: CasesService, vars: Vars, change: ChangeContext, job: Job) => Promise<Vars>,
) =>
  domainWorker(jobType, { service: (knex) => new CasesService(knex), refusal: CasesError, clearsProblem: true }, run);
