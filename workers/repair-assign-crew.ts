import { renderWorkOrder } from '../documents/work-order.js';
import { given, repairWorker } from './support/repair-job.js';

/** repair-assign-crew: the dispatcher's choice becomes a work order, printed (派工单) as it is handed out. */
export default repairWorker('repair-assign-crew', async (service, v, change) => {
  const ticketNo = String(v.ticketNo);
  const assigned = await service.assignCrew(
    ticketNo,
    { crew: given(v.crew) ?? '', instructions: given(v.instructions) ?? '', dispatchedBy: given(v.dispatchedBy) },
    change,
  );
  // A repeated job finds the document already kept and leaves it as first printed.
  await service.storeWorkOrderPdf(assigned.workOrderId, await renderWorkOrder(service, ticketNo, assigned.workOrderId));
  return { workOrderId: assigned.workOrderId, crew: assigned.crew, problem: null, problemField: null };
});
