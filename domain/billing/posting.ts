import type { Knex } from 'knex';
import { accountsWithOpenCredit, lockAccountRows, settleAccounts } from '../ledger/service.js';

/**
 * Posts approved bills to the append-only ledger (negative: the customer owes) and sets their due date from
 * the tariff's payment days. One statement: the bills' state change and their entries commit together, and
 * an already posted bill is not selected again, so a repeated call posts nothing twice (the ledger's unique
 * (kind, ref) backs that up). Bills of 0 fen are posted without a ledger entry. A credit bill (negative amount:
 * a true-up below an estimate) posts a positive entry, a credit like a payment. Accounts with open credit — prepaid,
 * or the credit bill just posted — settle their debts from it at once.
 */
export async function postBills(
  db: Knex.Transaction,
  which: { runId: number } | { billId: number },
  asOf: string,
): Promise<{ bills: number; amountFen: number }> {
  const filter = 'runId' in which ? 'b.run_id = :id' : 'b.id = :id';
  const id = 'runId' in which ? which.runId : which.billId;
  const { rows } = await db.raw(
    `WITH posted AS (
       UPDATE cis.bills b SET status = 'posted', posted_at = now(), due_date = CAST(:asOf AS date) + t.payment_days
       FROM cis.tariffs t
       WHERE ${filter} AND b.status IN ('computed', 'approved') AND t.id = b.tariff_id
       RETURNING b.id, b.account_id, b.amount_fen
     ),
     entries AS (
       INSERT INTO cis.ledger_entries (account_id, kind, amount_fen, ref, bill_id)
       SELECT account_id, 'bill', -amount_fen, 'bill:' || id, id FROM posted WHERE amount_fen <> 0
       ON CONFLICT (kind, ref) WHERE kind IN ('bill', 'bill_reversal', 'late_fee', 'late_fee_reversal') DO NOTHING
     )
     SELECT count(*)::int AS bills, coalesce(sum(amount_fen), 0)::bigint AS amount,
            coalesce(array_agg(DISTINCT account_id) FILTER (WHERE amount_fen <> 0), '{}') AS accounts
     FROM posted`,
    { id, asOf },
  );
  const withCredit = await accountsWithOpenCredit(db, rows[0].accounts);
  if (withCredit.length > 0) {
    await lockAccountRows(db, withCredit);
    await settleAccounts(db, withCredit);
  }
  return { bills: rows[0].bills, amountFen: Number(rows[0].amount) };
}

/**
 * The customer's first mobile number as `ph.phone` (null: none, the notice goes by letter), for a query over
 * accounts `a`: every notice to a customer finds its recipient the same way.
 */
export const CUSTOMER_MOBILE = `LEFT JOIN LATERAL (
         SELECT p.phone FROM cis.customer_phones p
         WHERE p.customer_id = a.customer_id AND p.phone ~ '^1[3-9][0-9]{9}$' ORDER BY p.id LIMIT 1
       ) ph ON true`;

/**
 * A notification per posted bill (SMS to the customer's first mobile number, else a letter), pending for the
 * SMS/WeChat adapters; unique per bill and kind, so repeating adds nothing. A bill of 0 fen or a credit bill (below
 * 0) asks nothing of the customer, so it is not announced as a bill to pay (issue #17).
 */
export async function notifyBills(
  db: Knex | Knex.Transaction,
  which: { runId: number } | { billId: number },
): Promise<number> {
  const filter = 'runId' in which ? 'b.run_id = :id' : 'b.id = :id';
  const id = 'runId' in which ? which.runId : which.billId;
  const { rows } = await db.raw(
    `WITH added AS (
       INSERT INTO cis.notifications (account_id, bill_id, kind, channel, recipient, payload)
       SELECT b.account_id, b.id,
              CASE WHEN b.replaces_bill_id IS NULL THEN 'bill_issued' ELSE 'bill_reissued' END,
              CASE WHEN ph.phone IS NULL THEN 'letter' ELSE 'sms' END, ph.phone,
              jsonb_build_object('accountNo', a.account_no, 'period', to_char(b.period, 'YYYY-MM'),
                                 'volume', b.volume, 'amountFen', b.amount_fen, 'dueDate', b.due_date)
       FROM cis.bills b
       JOIN cis.accounts a ON a.id = b.account_id
       ${CUSTOMER_MOBILE}
       WHERE ${filter} AND b.status = 'posted' AND b.amount_fen > 0
       ON CONFLICT (bill_id, kind) DO NOTHING
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM added`,
    { id },
  );
  return rows[0].n;
}
