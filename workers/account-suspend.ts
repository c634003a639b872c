import { accountsWorker, given } from './support/accounts-job.js';

/** account-suspension (报停): suspends billing until the agreed resumption date, with the final reading audited. */
export default accountsWorker('account-suspend', async (service, v, change) => {
  const done = await service.suspendAccount(
    String(v.accountNo),
    { until: given(v.resumeDate), reason: given(v.reason), finalReading: given(v.finalReading) },
    change,
  );
  return { accountStatus: done.status };
});
