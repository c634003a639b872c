import { accountsWorker, given } from './support/accounts-job.js';

/** account-opening: the application form's fields → openAccount (customer, premise, book place, meter, certificate). */
export default accountsWorker('account-open', async (service, v, change) => {
  const serial = given(v.meterSerial);
  const sequence = given(v.bookSequence);
  // a new connection for a customer the utility knows (the case names them) opens the account for that customer
  const customerId = given(v.customerId);
  const opened = await service.openAccount(
    {
      accountNo: given(v.accountNo),
      customerId: customerId === undefined ? undefined : Number(customerId),
      customer:
        customerId !== undefined
          ? undefined
          : {
              kind: given(v.customerKind) ?? 'person',
              idDocType: given(v.idDocType) ?? 'resident_id',
              idDocNumber: given(v.idDocNumber) ?? '',
              name: given(v.customerName) ?? '',
              phones: given(v.phone) ? [given(v.phone)] : [],
            },
      premise: {
        district: given(v.district) ?? '',
        street: given(v.street) ?? '',
        community: given(v.community),
        building: given(v.building),
        unit: given(v.unit),
        room: given(v.room),
        addressText: given(v.addressText),
      },
      customerClass: given(v.customerClass),
      householdSize: v.householdSize === undefined || v.householdSize === null ? undefined : Number(v.householdSize),
      paymentMethod: given(v.paymentMethod) ?? 'counter',
      book: {
        code: given(v.bookCode) ?? '',
        sequence: sequence === undefined ? undefined : Number(sequence),
        afterAccountNo: given(v.afterAccountNo),
      },
      meter: serial
        ? {
            serial,
            kind: given(v.meterKind) ?? 'ordinary',
            // a new connection's call passes the size applied for and the reading the installer saw
            caliberMm: given(v.meterCaliberMm) === undefined ? undefined : Number(v.meterCaliberMm),
            initialReading: given(v.initialReading),
          }
        : undefined,
    },
    change,
  );
  return { accountNo: opened.accountNo, certificateNo: opened.certificateNo, bookSeq: opened.bookSeq };
});
