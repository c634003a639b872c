import { accountsWorker } from './support/accounts-job.js';

/**
 * certificate-reissue (补证): charges the reissue fee. The amount is the model's `feeFen` task header (tariff
 * data kept in the diagram, not in code), unless the process carries a `feeFen` variable.
 */
export default accountsWorker('certificate-fee', async (service, v, change, job) => {
  const headers = (job.customHeaders ?? {}) as Record<string, unknown>;
  const fee = Number(v.feeFen ?? headers.feeFen);
  const charged = await service.postCharge(
    String(v.accountNo),
    { kind: 'certificate_fee', amountFen: fee, ref: `certificate-reissue:${job.processInstanceKey}`, note: '补证费' },
    change,
  );
  return { feeFen: fee, feeEntryId: charged.entryId };
});
