import { accountsWorker } from './support/accounts-job.js';

/** account-transfer: the ledger balance in fen (negative: arrears the process waits to see settled). */
export default accountsWorker('account-balance-check', async (service, v) => ({
  balanceFen: await service.balance(String(v.accountNo)),
}));
