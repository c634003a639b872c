import { AccountsService, AccountsError, type ChangeContext } from '../../domain/accounts/service.js';
import { domainWorker, type Job, type Vars } from './domain-job.js';

export { given } from './domain-job.js';

/** An accounts job worker (see domainWorker): a successful step clears the problem a refusal showed. */
export const accountsWorker = (
  jobType: string,
  run: (service: AccountsService, vars: Vars, change: ChangeContext, job: Job) => Promise<Vars>,
) =>
  domainWorker(
    jobType,
    { service: (knex) => new AccountsService(knex), refusal: AccountsError, clearsProblem: true },
    run,
  );
