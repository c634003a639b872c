import { RepairError, RepairService, type ChangeContext } from '../../domain/repair/service.js';
import { domainWorker, type Job, type Vars } from './domain-job.js';

export { given } from './domain-job.js';

/**
 * A repair job worker (see domainWorker). Success does not clear `problem`: the step whose form showed it
 * clears it itself, as escalations run beside that step and must not.
 */
export const repairWorker = (
  jobType: string,
  run: (service: RepairService, vars: Vars, change: ChangeContext, job: Job) => Promise<Vars>,
) =>
  domainWorker(
    jobType,
    { service: (knex) => new RepairService(knex), refusal: RepairError, clearsProblem: false },
    run,
  );
