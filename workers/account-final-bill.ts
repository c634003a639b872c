import { accountsWorker, given } from './support/accounts-job.js';

/**
 * account-demolition (拆迁) and account-transfer (过户): the final or transfer reading recorded as an accepted
 * reading, the account's unbilled periods up to it billed by billing's computation and posted. Keyed by the job
 * and by the process instance (the reading's external reference), so a repeated step bills once.
 */
export default accountsWorker('account-final-bill', async (service, v, change, job) => {
  const purpose = job.customHeaders?.purpose === 'transfer' ? 'transfer' : 'demolition';
  const reading = purpose === 'transfer' ? v.transferReading : v.finalReading;
  const done = await service.finalBill(
    String(v.accountNo),
    { reading: given(reading) ?? '', readingDate: given(v.readingDate)?.slice(0, 10), purpose },
    change,
  );
  return {
    finalBillFen: done.amountFen,
    finalBillIds: done.bills.map((b) => b.billId),
    finalReadingId: done.readingId,
    finalPeriod: done.period,
    balanceFen: done.balanceFen,
  };
});
