import { accountsWorker, given } from './support/accounts-job.js';

/** account-demolition (拆迁): meters removed with the final reading, certificate voided, account closed. */
export default accountsWorker('account-close', async (service, v, change) => {
  const done = await service.closeAccount(
    String(v.accountNo),
    { reason: given(v.reason) ?? 'demolition', finalReading: given(v.finalReading) },
    change,
  );
  return { accountStatus: done.status };
});
