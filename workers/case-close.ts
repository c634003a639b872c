import { casesWorker, given } from './support/cases-job.js';

/**
 * case-close: the case's end as the model reached it. Task headers `status` (completed, rejected, cancelled) and
 * `outcome` (what the front desk reads); a process variable `outcome` wins over the header (e.g. an approver's
 * reason for rejecting).
 */
export default casesWorker('case-close', async (service, v, change, job) => {
  const headers = (job.customHeaders ?? {}) as Record<string, unknown>;
  const status = given(headers.status) ?? 'completed';
  const outcome = given(v.outcome) ?? given(headers.outcome) ?? '';
  await service.closeCase(String(v.caseNo), { status, outcome }, change);
  return { caseStatus: status };
});
