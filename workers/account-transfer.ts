import { accountsWorker, given } from './support/accounts-job.js';

/** account-transfer (过户): the new owner from the application form; the domain refuses while in arrears. */
export default accountsWorker('account-transfer', async (service, v, change) => {
  const phone = given(v.newOwnerPhone);
  const done = await service.transferOwnership(
    String(v.accountNo),
    {
      customer: {
        kind: given(v.newOwnerKind) ?? 'person',
        idDocType: given(v.newOwnerIdDocType) ?? 'resident_id',
        idDocNumber: given(v.newOwnerIdDocNumber) ?? '',
        name: given(v.newOwnerName) ?? '',
        phones: phone ? [phone] : [],
      },
      reason: given(v.reason),
    },
    change,
  );
  return { certificateNo: done.certificateNo, newCustomerId: done.customerId };
});
