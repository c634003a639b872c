import { given, networkCaseWorker } from './support/case-network-job.js';

/**
 * 停水/恢复通知: a notice to every affected account. Task header `kind`: `water_shutoff` (the window) or
 * `water_restored` (with the `restoredAt` the engineer confirmed).
 */
export default networkCaseWorker('case-shutoff-notify', async (service, v, change, job) => {
  const kind = given((job.customHeaders ?? {}).kind) ?? 'water_shutoff';
  const restoredAt = kind === 'water_restored' ? given(v.restoredAt) : undefined;
  const done = await service.noticeAffected(String(v.caseNo), { kind, ...(restoredAt ? { restoredAt } : {}) }, change);
  return kind === 'water_shutoff' ? { shutoffNoticed: done.noticed } : { restorationNoticed: done.noticed };
});
