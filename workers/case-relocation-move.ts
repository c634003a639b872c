import { given, networkCaseWorker } from './support/case-network-job.js';

/** 搬迁 account updated: the account moves to the premises the survey confirmed (address parts as variables). */
export default networkCaseWorker('case-relocation-move', async (service, v, change) => {
  const premise = Object.fromEntries(
    ['district', 'street', 'community', 'building', 'unit', 'room'].map((k) => [k, given(v[k]) ?? '']),
  );
  const moved = await service.relocateAccount(String(v.caseNo), premise, change);
  return { newAddress: moved.address, newBookCode: moved.bookCode };
});
