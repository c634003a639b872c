import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface OpenDebt {
  entryId: number;
  kind: string;
  ref: string | null;
  billId: number | null;
  period: string | null;
  dueDate: string | null;
  amountFen: number;
  openFen: number;
}

export interface AccountPosition {
  balanceFen: number;
  creditFen: number;
  arrearsFen: number;
  /** Open debts in the order a payment settles them. */
  debts: OpenDebt[];
}

const iso = (d: Date | string | null) =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

/**
 * An account's position, all derived from the ledger and its allocations: the balance is the sum of the
 * entries, the arrears the open part of its debts, the credit the open part of its credits.
 */
export async function accountPosition(db: Db, accountId: number | string): Promise<AccountPosition> {
  const { rows } = await db.raw(
    `WITH rank AS (
       SELECT k.kind, k.n FROM cis.payment_settings s, unnest(s.allocation_order) WITH ORDINALITY AS k(kind, n)
     )
     SELECT e.id, e.kind, e.ref, e.amount_fen, e.bill_id, to_char(b.period, 'YYYY-MM') AS period,
            to_char(b.due_date, 'YYYY-MM-DD') AS due_date,
            abs(e.amount_fen) - coalesce(CASE WHEN e.amount_fen > 0
              THEN (SELECT sum(a.amount_fen) FROM cis.allocations a WHERE a.credit_entry_id = e.id)
              ELSE (SELECT sum(a.amount_fen) FROM cis.allocations a WHERE a.debit_entry_id = e.id) END, 0) AS open
     FROM cis.ledger_entries e
     LEFT JOIN cis.bills b ON b.id = e.bill_id
     LEFT JOIN rank r ON r.kind = CASE WHEN e.kind IN ('bill', 'late_fee') THEN e.kind ELSE 'charge' END
     WHERE e.account_id = ?
     ORDER BY coalesce(r.n, 3), coalesce(b.due_date, CAST(e.created_at AS date)), e.id`,
    [Number(accountId)],
  );
  let balanceFen = 0;
  let creditFen = 0;
  const debts: OpenDebt[] = [];
  for (const r of rows) {
    const amount = Number(r.amount_fen);
    const open = Number(r.open);
    balanceFen += amount;
    if (amount > 0) creditFen += open;
    else if (open > 0)
      debts.push({
        entryId: Number(r.id),
        kind: r.kind,
        ref: r.ref,
        billId: r.bill_id === null ? null : Number(r.bill_id),
        period: r.period,
        dueDate: iso(r.due_date),
        amountFen: -amount,
        openFen: open,
      });
  }
  return { balanceFen, creditFen, arrearsFen: debts.reduce((s, d) => s + d.openFen, 0), debts };
}

/** What one credit entry (a payment) settled: debt entries and amounts, net of releases. */
export async function allocationsOf(
  db: Db,
  creditEntryId: number | string,
): Promise<Array<{ entryId: number; kind: string; billId: number | null; period: string | null; amountFen: number }>> {
  const { rows } = await db.raw(
    `SELECT a.debit_entry_id, e.kind, e.bill_id, to_char(b.period, 'YYYY-MM') AS period, sum(a.amount_fen) AS amount
     FROM cis.allocations a JOIN cis.ledger_entries e ON e.id = a.debit_entry_id
     LEFT JOIN cis.bills b ON b.id = e.bill_id
     WHERE a.credit_entry_id = ?
     GROUP BY a.debit_entry_id, e.kind, e.bill_id, b.period
     HAVING sum(a.amount_fen) <> 0
     ORDER BY min(a.id)`,
    [Number(creditEntryId)],
  );
  type Row = { debit_entry_id: string; kind: string; bill_id: string | null; period: string | null; amount: string };
  return rows.map((r: Row) => ({
    entryId: Number(r.debit_entry_id),
    kind: r.kind,
    billId: r.bill_id === null ? null : Number(r.bill_id),
    period: r.period,
    amountFen: Number(r.amount),
  }));
}
