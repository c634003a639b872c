import { given, networkCaseWorker } from './support/case-network-job.js';

/**
 * 转维修: a repair ticket for the finding. Its output is what `repair-ticket` starts with (as the repair API starts
 * it: ticketNo, due dates, call-back settings, crew options), which the model's call activity hands to the child.
 */
export default networkCaseWorker('case-inspection-repair', async (service, v, change) => {
  const raised = await service.raiseRepair(
    String(v.caseNo),
    { name: given(v.repairContactName) ?? '', phone: given(v.repairContactPhone) ?? '' },
    change,
  );
  return { ...raised.processVariables, repairTicketNo: raised.ticket.ticketNo };
});
