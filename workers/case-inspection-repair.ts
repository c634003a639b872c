import { given, networkCaseWorker } from './support/case-network-job.js';

/**
 * 转维修: a repair ticket for the finding. Its output `repair` is what `repair-ticket` starts with (as the repair
 * API starts it), handed to the model's call activity.
 */
export default networkCaseWorker('case-inspection-repair', async (service, v, change) => {
  const raised = await service.raiseRepair(
    String(v.caseNo),
    { name: given(v.repairContactName) ?? '', phone: given(v.repairContactPhone) ?? '' },
    change,
  );
  return { repairTicketNo: raised.ticket.ticketNo, repair: raised.processVariables };
});
