import { accountsWorker } from './support/accounts-job.js';

/**
 * account-demolition (拆迁): the credit left after the final bill requested as a refund, to the fen; the model
 * then calls the `credit-refund` approval with these variables (the shape that process expects).
 */
export default accountsWorker('account-refund-request', async (service, v, change) => {
  const refund = await service.requestRefundDue(String(v.accountNo), change);
  return {
    refundId: refund.refundId,
    amountFen: refund.amountFen,
    amountYuan: (refund.amountFen / 100).toFixed(2),
    creditYuan: (refund.creditFen / 100).toFixed(2),
    reason: refund.reason,
    requestedBy: `account-demolition:${change.processInstanceKey}`,
  };
});
