import type { Knex } from 'knex';
import type { PaymentMethod } from '../../contracts/payments.js';
import type { ReceiptDocument, ReceiptLine, ReceiptLineKind } from '../../contracts/receipts.js';
import { RECEIPT_LINE_KIND_LABELS } from '../../contracts/receipts.js';
import { conflict, notFound } from './errors.js';

type Db = Knex | Knex.Transaction;

/** What a receipt says before it is put on a form (number, verification address and reprint note). */
export type ReceiptBody = Omit<ReceiptDocument, 'formType' | 'series' | 'formNo' | 'verifyUrl' | 'reprintOf'>;

export interface BatchPayment {
  paymentId: number;
  accountId: number;
  accountNo: string;
  customerId: number;
  customerName: string;
  address: string;
  amountFen: number;
  tenderedFen: number | null;
  method: PaymentMethod;
  entryId: number;
  paidAt: Date;
  reversed: boolean;
}

const ADDRESS = `pr.district || pr.street || pr.community || pr.building || pr.unit || pr.room || pr.address_text`;

/** The payments of a batch (one submission at the counter or one channel serial), in posting order. */
export async function batchPayments(db: Db, batch: string): Promise<BatchPayment[]> {
  const { rows } = await db.raw(
    `SELECT p.id, p.account_id, a.account_no, c.id AS customer_id, c.name, ${ADDRESS} AS address, p.amount_fen,
            p.tendered_fen, p.method, p.entry_id, p.paid_at, r.payment_id IS NOT NULL AS reversed
     FROM cis.payments p
     JOIN cis.accounts a ON a.id = p.account_id
     JOIN cis.customers c ON c.id = a.customer_id
     JOIN cis.premises pr ON pr.id = a.premise_id
     LEFT JOIN cis.payment_reversals r ON r.payment_id = p.id
     WHERE p.batch = ? ORDER BY p.id`,
    [batch],
  );
  if (rows.length === 0) throw notFound('payment batch', batch);
  return rows.map((r: Record<string, never>) => ({
    paymentId: Number(r.id),
    accountId: Number(r.account_id),
    accountNo: r.account_no,
    customerId: Number(r.customer_id),
    customerName: r.name,
    address: r.address,
    amountFen: Number(r.amount_fen),
    tenderedFen: r.tendered_fen === null ? null : Number(r.tendered_fen),
    method: r.method,
    entryId: Number(r.entry_id),
    paidAt: new Date(r.paid_at),
    reversed: r.reversed,
  }));
}

const lineKind = (ledgerKind: string): ReceiptLineKind =>
  ledgerKind === 'bill' || ledgerKind === 'late_fee' ? ledgerKind : 'charge';

/**
 * The receipt of a payment batch, as the ledger saw it when the payment posted: what each payment settled (its
 * allocations made in the posting transaction, net of releases in it), the bills' periods, volumes and tier lines
 * (only for a bill the payment settled in full, so a printed breakdown never claims more than was paid), the rest
 * as prepaid credit, and the account's credit right after. Later settlements by that credit belong to later bills.
 */
export async function receiptBody(db: Db, batch: string, cashier: string, issuedAt: Date): Promise<ReceiptBody> {
  const payments = await batchPayments(db, batch);
  const reversed = payments.find((p) => p.reversed);
  if (reversed)
    throw conflict('payment_reversed', `payment ${reversed.paymentId} of batch ${batch} was reversed: no receipt`);
  const { rows: settled } = await db.raw(
    `SELECT a.credit_entry_id, e.kind, e.bill_id, to_char(b.period, 'YYYY-MM') AS period, b.volume,
            b.amount_fen AS bill_fen, sum(a.amount_fen)::bigint AS amount
     FROM cis.payments p
     JOIN cis.allocations a ON a.credit_entry_id = p.entry_id AND a.created_at <= p.paid_at
     JOIN cis.ledger_entries e ON e.id = a.debit_entry_id
     LEFT JOIN cis.bills b ON b.id = e.bill_id
     WHERE p.batch = ?
     GROUP BY a.credit_entry_id, a.debit_entry_id, e.kind, e.bill_id, b.period, b.volume, b.amount_fen
     HAVING sum(a.amount_fen) <> 0
     ORDER BY a.credit_entry_id, min(a.id)`,
    [batch],
  );
  const fullBills = settled
    .filter((s: Record<string, string>) => s.kind === 'bill' && s.bill_fen !== null && s.amount === s.bill_fen)
    .map((s: Record<string, string>) => Number(s.bill_id));
  const billLines = fullBills.length
    ? await db('cis.bill_lines').whereIn('bill_id', fullBills).orderBy(['bill_id', 'line_no'])
    : [];
  const { rows: credits } = await db.raw(
    `SELECT p.id, coalesce(sum(e.amount_fen - coalesce((
              SELECT sum(x.amount_fen) FROM cis.allocations x
              WHERE x.credit_entry_id = e.id AND x.created_at <= p.paid_at), 0)), 0)::bigint AS credit
     FROM cis.payments p
     JOIN cis.ledger_entries e ON e.account_id = p.account_id AND e.amount_fen > 0 AND e.created_at <= p.paid_at
     WHERE p.batch = ? GROUP BY p.id`,
    [batch],
  );
  const several = payments.length > 1;
  const lines: ReceiptLine[] = [];
  for (const p of payments) {
    const prefix = several ? `${p.accountNo} ` : '';
    let allocated = 0;
    for (const s of settled.filter((x: Record<string, string>) => Number(x.credit_entry_id) === p.entryId)) {
      const kind = lineKind(s.kind);
      const amountFen = Number(s.amount);
      allocated += amountFen;
      const components = billLines
        .filter(
          (l) => s.bill_id !== null && Number(l.bill_id) === Number(s.bill_id) && fullBills.includes(Number(s.bill_id)),
        )
        .map((l) => ({
          component: l.component,
          tier: Number(l.tier),
          volume: l.volume,
          priceFen: Number(l.price_fen),
          amountFen: Number(l.amount_fen),
        }));
      lines.push({
        period: s.period ?? '',
        kind,
        label: prefix + RECEIPT_LINE_KIND_LABELS[kind],
        ...(kind === 'bill' && s.volume !== null ? { volume: s.volume } : {}),
        amountFen,
        ...(components.length > 0 ? { components } : {}),
      });
    }
    if (p.amountFen > allocated)
      lines.push({
        period: '',
        kind: 'credit',
        label: prefix + RECEIPT_LINE_KIND_LABELS.credit,
        amountFen: p.amountFen - allocated,
      });
  }
  const settings = await db('cis.payment_settings').first('utility_name');
  const amountFen = payments.reduce((s, p) => s + p.amountFen, 0);
  const tendered = payments.filter((p) => p.tenderedFen !== null);
  const tenderedFen = tendered.length > 0 ? tendered.reduce((s, p) => s + (p.tenderedFen ?? 0), 0) : undefined;
  return {
    issuedAt: issuedAt.toISOString(),
    utility: settings.utility_name,
    cashier,
    accountNo: payments.map((p) => p.accountNo).join('、'),
    customerName: payments[0].customerName,
    address: [...new Set(payments.map((p) => p.address))].join('；'),
    method: payments[0].method,
    amountFen,
    ...(tenderedFen !== undefined ? { tenderedFen, changeFen: tenderedFen - amountFen } : {}),
    creditAfterFen: credits.reduce((s: number, c: { credit: string }) => s + Number(c.credit), 0),
    lines,
  };
}

/**
 * The receipt of a batch as it would print, on no form: form type, series, number and verification address are
 * empty. For what needs the content without a paper receipt (the e-invoice of a customer who wants only that).
 */
export async function documentOfBatch(db: Db, batch: string, cashier: string): Promise<ReceiptDocument> {
  const body = await receiptBody(db, batch, cashier, new Date());
  return { ...body, formType: '', series: '', formNo: '', verifyUrl: '' };
}
