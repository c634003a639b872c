import type { Knex } from 'knex';
import { SETTLE_SQL } from '../../db/sql/settle.js';

type Db = Knex | Knex.Transaction;

/**
 * Allocates the accounts' open credit to their open debts (db/sql/settle.ts). Call it, holding the accounts' row
 * locks, after every entry that adds credit or debt: then an account never has credit and arrears at once.
 */
export async function settleAccounts(db: Db, accountIds: Array<number | string>): Promise<{ amountFen: number }> {
  if (accountIds.length === 0) return { amountFen: 0 };
  const { rows } = await db.raw(SETTLE_SQL, { accountIds: accountIds.map(Number) });
  return { amountFen: Number(rows[0].amount) };
}

/** Locks accounts in id order (no two transactions lock the same pair in opposite orders). */
export async function lockAccountRows(trx: Knex.Transaction, accountIds: Array<number | string>): Promise<void> {
  const ids = [...new Set(accountIds.map(Number))].sort((a, b) => a - b);
  if (ids.length > 0) await trx.raw('SELECT id FROM cis.accounts WHERE id = ANY(?) ORDER BY id FOR UPDATE', [ids]);
}

/**
 * The accounts among those of the given bills that hold open credit: after bills post, these settle them
 * from their prepaid credit.
 */
export async function accountsWithOpenCredit(db: Db, accountIds: Array<number | string>): Promise<number[]> {
  if (accountIds.length === 0) return [];
  const { rows } = await db.raw(
    `SELECT DISTINCT e.account_id FROM cis.ledger_entries e
     WHERE e.account_id = ANY(?) AND e.amount_fen > 0
       AND e.amount_fen > coalesce((SELECT sum(a.amount_fen) FROM cis.allocations a WHERE a.credit_entry_id = e.id), 0)`,
    [accountIds.map(Number)],
  );
  return rows.map((r: { account_id: string }) => Number(r.account_id));
}
