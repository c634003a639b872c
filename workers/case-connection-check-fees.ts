import { CasesError } from '../domain/cases/service.js';
import { ConnectionService } from '../domain/cases/connection/service.js';
import { domainWorker } from './support/domain-job.js';

/** case-connection-check-fees: after `case-fee-paid` arrived, what the case still owes (the ledger decides, not the message). */
export default domainWorker(
  'case-connection-check-fees',
  { service: (knex) => new ConnectionService(knex), refusal: CasesError, clearsProblem: true },
  async (service, v) => {
    const fees = await service.fees(String(v.caseNo));
    return { feesOutstandingFen: fees.outstandingFen, feesOutstandingYuan: (fees.outstandingFen / 100).toFixed(2) };
  },
);
