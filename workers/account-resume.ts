import { accountsWorker } from './support/accounts-job.js';

/** account-suspension (恢复): back to active, on request or at the agreed date. */
export default accountsWorker('account-resume', async (service, v, change) => {
  const done = await service.resumeAccount(String(v.accountNo), change);
  return { accountStatus: done.status };
});
