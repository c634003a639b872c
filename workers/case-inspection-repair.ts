import { given, networkCaseWorker } from './support/case-network-job.js';

/**
 * 转维修: a repair ticket for the finding. Answers the ticket's number and, as one variable `repairStart`, what
 * `repair-ticket` starts with (as the repair API starts it: ticketNo, due dates, call-back settings, crew options):
 * the model's call activity maps its fields into the child one by one, so none of them lands in the case's scope.
 */
export default networkCaseWorker('case-inspection-repair', async (service, v, change) => {
  const raised = await service.raiseRepair(
    String(v.caseNo),
    { name: given(v.repairContactName) ?? '', phone: given(v.repairContactPhone) ?? '' },
    change,
  );
  return { repairStart: raised.processVariables, repairTicketNo: raised.ticket.ticketNo };
});
