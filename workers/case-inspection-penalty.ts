import { networkCaseWorker } from './support/case-network-job.js';

/** 违章罚款: the finding's penalty charged on the account's ledger. */
export default networkCaseWorker('case-inspection-penalty', async (service, v, change) => {
  const charged = await service.chargePenalty(String(v.caseNo), change);
  return { penaltyEntryId: charged.entryId };
});
