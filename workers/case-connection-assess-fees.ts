import { CasesError } from '../domain/cases/service.js';
import { ConnectionService } from '../domain/cases/connection/service.js';
import { domainWorker } from './support/domain-job.js';

/** case-connection-assess-fees: 业务收费 — the connection fee by meter size and the approved budget, what is due. */
export default domainWorker(
  'case-connection-assess-fees',
  { service: (knex) => new ConnectionService(knex), refusal: CasesError, clearsProblem: true },
  async (service, v, change) => {
    const fees = await service.assessFees(String(v.caseNo), change);
    const fen = (item: string) => fees.fees.find((f) => f.item === item)?.amountFen ?? 0;
    return {
      connectionFeeFen: fen('connection_fee'),
      worksFeeFen: fen('works_fee'),
      feesOutstandingFen: fees.outstandingFen,
      feesOutstandingYuan: (fees.outstandingFen / 100).toFixed(2),
    };
  },
);
