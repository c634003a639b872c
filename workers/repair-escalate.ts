import { repairWorker } from './support/repair-job.js';

/** repair-escalate: an overdue step (task header `step`: dispatch or field) is recorded before the managers get it. */
export default repairWorker('repair-escalate', async (service, v, change, job) => {
  const step = job.customHeaders.step === 'field' ? 'field' : 'dispatch';
  await service.recordEscalation(String(v.ticketNo), step, change);
  return {};
});
