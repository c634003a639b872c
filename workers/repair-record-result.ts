import { given, repairWorker } from './support/repair-job.js';

/**
 * repair-record-result: the field result reaches the ticket and flows back to the service centre. The crew's
 * page has usually recorded it already (materials, photos); then this changes nothing and reads it back.
 */
export default repairWorker('repair-record-result', async (service, v, change) => {
  const done = await service.completeWorkOrder(
    String(v.workOrderId),
    {
      result: given(v.result) ?? '',
      resolved: v.resolved !== false,
      ...(given(v.arrivedAt) ? { arrivedAt: given(v.arrivedAt) } : {}),
    },
    change,
    false,
  );
  return { completedAt: done.completedAt, resolved: done.resolved, result: done.result };
});
