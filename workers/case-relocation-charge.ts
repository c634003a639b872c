import { networkCaseWorker } from './support/case-network-job.js';

/** 搬迁 cost: the engineer's cost (yuan) charged on the account's ledger as a relocation fee. */
export default networkCaseWorker('case-relocation-charge', async (service, v, change) => {
  const charged = await service.chargeRelocation(String(v.caseNo), { costYuan: v.costYuan }, change);
  return { costFen: charged.costFen, costEntryId: charged.entryId };
});
