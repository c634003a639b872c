import type { Knex } from 'knex';
import { SETTLE_SQL } from '../../db/sql/settle.js';

type Db = Knex | Knex.Transaction;

/**
 * Allocates the accounts' open credit to their open debts (db/sql/settle.ts). Call it, holding the accounts' row
 * locks, after every entry that adds credit or debt: then an account never has credit and arrears at once.
 */
export interface Settled {
  creditEntryId: number;
  entryId: number;
  kind: string;
  billId: number | null;
  period: string | null;
  amountFen: number;
}

export async function settleAccounts(
  db: Db,
  accountIds: Array<number | string>,
): Promise<{ amountFen: number; settled: Settled[] }> {
  if (accountIds.length === 0) return { amountFen: 0, settled: [] };
  const { rows } = await db.raw(SETTLE_SQL, { accountIds: accountIds.map(Number) });
  type Row = {
    credit_entry_id: string;
    debit_entry_id: string;
    amount_fen: string;
    kind: string;
    bill_id: string | null;
    period: string | null;
  };
  const settled = rows.map((r: Row) => ({
    creditEntryId: Number(r.credit_entry_id),
    entryId: Number(r.debit_entry_id),
    kind: r.kind,
    billId: r.bill_id === null ? null : Number(r.bill_id),
    period: r.period,
    amountFen: Number(r.amount_fen),
  }));
  return { amountFen: settled.reduce((sum: number, x: Settled) => sum + x.amountFen, 0), settled };
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
