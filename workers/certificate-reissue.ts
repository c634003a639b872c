import { accountsWorker, given } from './support/accounts-job.js';

/** certificate-reissue (补证): voids the valid certificate and issues a new number. */
export default accountsWorker('certificate-reissue', async (service, v, change) => {
  const done = await service.reissueCertificate(String(v.accountNo), { reason: given(v.reason) }, change);
  return { certificateNo: done.certificateNo, replacedCertificateNo: done.replaces };
});
