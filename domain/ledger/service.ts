/**
 * The account ledger's allocation layer (DESIGN §5): which credit settles which debt. Other modules call these
 * inside their own transactions, after writing an entry, holding the account's row lock:
 * `insertEntry` → (for an entry tied to one other entry: `releaseAllocations` + `allocatePair`) → `settleAccounts`.
 * Positions (balance, arrears by debt, credit) are derived from the ledger, never stored.
 */
export { allocatePair, insertEntry, releaseAllocations } from './entries.js';
export { accountPosition, allocationsOf, type AccountPosition, type OpenDebt } from './position.js';
export { accountsWithOpenCredit, lockAccountRows, settleAccounts } from './settle.js';
