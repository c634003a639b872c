import type { Knex } from 'knex';
import type { CounterAccount, CounterDebt, PaymentSummary } from '../../contracts/payments.js';
import { accountPosition } from '../ledger/service.js';
import { notFound } from './errors.js';

type Db = Knex | Knex.Transaction;

interface PaymentRow {
  id: string;
  batch: string;
  channel: PaymentSummary['channel'];
  method: PaymentSummary['method'];
  amount_fen: string;
  cashier: string;
  paid_at: Date;
  day: string;
  reversed: boolean;
}

const ADDRESS = `p.district || p.street || p.community || p.building || p.unit || p.room || p.address_text`;

/**
 * What the cashier needs for one account: open debts oldest first (bills with their tier lines and volume),
 * credit, the last payments, and the customer's other accounts (to pay several in one go).
 */
export async function counterAccount(db: Db, accountNo: string): Promise<CounterAccount> {
  const { rows } = await db.raw(
    `SELECT a.id, a.account_no, a.status, a.customer_id, c.name, ${ADDRESS} AS address
     FROM cis.accounts a JOIN cis.customers c ON c.id = a.customer_id JOIN cis.premises p ON p.id = a.premise_id
     WHERE a.account_no = ?`,
    [accountNo.trim().toUpperCase()],
  );
  const a = rows[0];
  if (!a) throw notFound('account', accountNo);
  const position = await accountPosition(db, a.id);
  const billIds = position.debts.flatMap((d) => (d.billId !== null && d.kind === 'bill' ? [d.billId] : []));
  const lines = billIds.length
    ? await db('cis.bill_lines').whereIn('bill_id', billIds).orderBy(['bill_id', 'line_no'])
    : [];
  const volumes = billIds.length ? await db('cis.bills').whereIn('id', billIds).select('id', 'volume') : [];
  const debts: CounterDebt[] = position.debts.map((d) => ({
    ...d,
    volume: d.kind === 'bill' ? (volumes.find((b) => Number(b.id) === d.billId)?.volume ?? null) : null,
    lines:
      d.kind === 'bill'
        ? lines
            .filter((l) => Number(l.bill_id) === d.billId)
            .map((l) => ({
              component: l.component,
              tier: l.tier,
              volume: l.volume,
              priceFen: Number(l.price_fen), // numeric(12,1): one decimal where the price has 厘
              amountFen: Number(l.amount_fen),
            }))
        : [],
  }));
  const payments = await paymentsOf(db, a.id, 10);
  const { rows: siblings } = await db.raw(
    `SELECT a.account_no, ${ADDRESS} AS address, a.id FROM cis.accounts a JOIN cis.premises p ON p.id = a.premise_id
     WHERE a.customer_id = ? AND a.id <> ? AND a.status <> 'closed' ORDER BY a.account_no LIMIT 20`,
    [a.customer_id, a.id],
  );
  const withArrears = [];
  for (const s of siblings)
    withArrears.push({
      accountNo: s.account_no,
      address: s.address,
      arrearsFen: (await accountPosition(db, s.id)).arrearsFen,
    });
  return {
    accountNo: a.account_no,
    status: a.status,
    customerName: a.name,
    address: a.address,
    balanceFen: position.balanceFen,
    creditFen: position.creditFen,
    arrearsFen: position.arrearsFen,
    debts,
    payments,
    siblings: withArrears,
  };
}

/** The account's payments, newest first, with whether each was reversed. */
export async function paymentsOf(db: Db, accountId: number | string, limit = 50): Promise<PaymentSummary[]> {
  const { rows } = await db.raw(
    `SELECT p.id, p.batch, p.channel, p.method, p.amount_fen, p.cashier, p.paid_at,
            to_char(p.business_day, 'YYYY-MM-DD') AS day, r.payment_id IS NOT NULL AS reversed
     FROM cis.payments p LEFT JOIN cis.payment_reversals r ON r.payment_id = p.id
     WHERE p.account_id = ? ORDER BY p.id DESC LIMIT ?`,
    [Number(accountId), limit],
  );
  return rows.map((r: PaymentRow) => ({
    paymentId: Number(r.id),
    batch: r.batch,
    channel: r.channel,
    method: r.method,
    amountFen: Number(r.amount_fen),
    cashier: r.cashier,
    paidAt: new Date(r.paid_at).toISOString(),
    businessDay: r.day,
    reversed: r.reversed,
  }));
}
