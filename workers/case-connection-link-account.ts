import { CasesError } from '../domain/cases/service.js';
import { ConnectionService } from '../domain/cases/connection/service.js';
import { domainWorker } from './support/domain-job.js';

/** case-connection-link-account: the account the opening created becomes the case's (customer, premises, account). */
export default domainWorker(
  'case-connection-link-account',
  { service: (knex) => new ConnectionService(knex), refusal: CasesError, clearsProblem: true },
  async (service, v, change) => {
    await service.linkAccount(String(v.caseNo), String(v.accountNo), change);
    return {};
  },
);
