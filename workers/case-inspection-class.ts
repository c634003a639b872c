import { networkCaseWorker } from './support/case-network-job.js';

/** 用水性质变更: the account's customer class corrected as the finding says. */
export default networkCaseWorker('case-inspection-class', async (service, v, change) => {
  const changed = await service.changeClass(String(v.caseNo), change);
  return { customerClass: changed.customerClass };
});
