import type { Knex } from 'knex';

/**
 * Direct allocations, for entries that belong to one other entry: a bill's reversal settles that bill, a
 * payment's reversal takes back that payment. First the entry's existing allocations are released (negative
 * rows: the money they moved is open again on the other side), then the pair is allocated in full.
 */
export async function releaseAllocations(trx: Knex.Transaction, entryId: number | string): Promise<number> {
  const { rows } = await trx.raw(
    `INSERT INTO cis.allocations (account_id, credit_entry_id, debit_entry_id, amount_fen)
     SELECT account_id, credit_entry_id, debit_entry_id, -sum(amount_fen)
     FROM cis.allocations
     WHERE credit_entry_id = :id OR debit_entry_id = :id
     GROUP BY account_id, credit_entry_id, debit_entry_id
     HAVING sum(amount_fen) <> 0
     RETURNING amount_fen`,
    { id: Number(entryId) },
  );
  return rows.reduce((s: number, r: { amount_fen: string }) => s - Number(r.amount_fen), 0);
}

/** Allocates `amountFen` of a credit entry to a debt entry of the same account. */
export async function allocatePair(
  trx: Knex.Transaction,
  accountId: number | string,
  creditEntryId: number | string,
  debitEntryId: number | string,
  amountFen: number,
): Promise<void> {
  if (amountFen === 0) return;
  await trx('cis.allocations').insert({
    account_id: accountId,
    credit_entry_id: creditEntryId,
    debit_entry_id: debitEntryId,
    amount_fen: amountFen,
  });
}

/**
 * Inserts a ledger entry (signed from the customer's side: credits > 0, debts < 0) and returns its id. A
 * repeated (kind, ref) of the kinds that post once returns the existing entry's id instead.
 */
export async function insertEntry(
  trx: Knex.Transaction,
  row: { account_id: number | string; kind: string; amount_fen: number; ref: string; bill_id?: number | string },
): Promise<{ id: number; created: boolean }> {
  const inserted = await trx('cis.ledger_entries').insert(row).onConflict().ignore().returning('id');
  if (inserted.length > 0) return { id: Number(inserted[0].id), created: true };
  const existing = await trx('cis.ledger_entries').where({ kind: row.kind, ref: row.ref }).first('id');
  return { id: Number(existing.id), created: false };
}
