import { accountsWorker } from './support/accounts-job.js';

/**
 * account-demolition (拆迁): billing is not built yet, so the final bill is a ledger entry of 0 fen of kind
 * `final_bill_placeholder` whose note says the billing module will compute it from the final reading.
 */
export default accountsWorker('account-final-bill-placeholder', async (service, v, change, job) => {
  const entry = await service.postCharge(
    String(v.accountNo),
    {
      kind: 'final_bill_placeholder',
      amountFen: 0,
      ref: `account-demolition:${job.processInstanceKey}`,
      note: `placeholder: billing will compute the final bill from final reading ${v.finalReading}`,
    },
    change,
  );
  return { finalBillEntryId: entry.entryId };
});
