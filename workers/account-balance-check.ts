import { accountsWorker } from './support/accounts-job.js';

/**
 * account-transfer, account-demolition: the ledger balance in fen. Negative: arrears the process waits to see
 * settled, so the account is registered as awaiting them (the paying request then publishes `arrears-settled`).
 */
export default accountsWorker('account-balance-check', async (service, v) => ({
  balanceFen: await service.balanceAwaitingSettlement(String(v.accountNo)),
}));
