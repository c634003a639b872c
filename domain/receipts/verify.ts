import type { Knex } from 'knex';
import type { ReceiptDocument, ReceiptSummary, ReceiptVerification, ReceiptView } from '../../contracts/receipts.js';
import { notFound } from './errors.js';
import { BatchInput, parse } from './schemas.js';
import { formLabel, pad, type FormState } from './states.js';

export type { ReceiptSummary, ReceiptVerification, ReceiptView };

type Db = Knex | Knex.Transaction;

const TOKEN = /^(\d{1,18})-([0-9a-f]{10})$/;

/** Every account number of the receipt, masked but for its first and last two characters. */
export const maskAccounts = (accountNos: string) =>
  accountNos
    .split('、')
    .map((a) => (a.length <= 4 ? '*'.repeat(a.length) : `${a.slice(0, 2)}${'*'.repeat(a.length - 4)}${a.slice(-2)}`))
    .join('、');

const RECEIPTS = `SELECT r.id, r.batch, r.form_type, r.series, r.form_no, r.cashier, r.created_at, r.reprint_of,
                         r.document, f.state, b.digits
                  FROM cis.receipts r
                  JOIN cis.receipt_forms f USING (form_type, series, form_no)
                  JOIN cis.receipt_blocks b ON b.id = f.block_id`;

/**
 * The QR page's answer. `ref` is the token of the receipt's verification address (`<id>-<random>`, what the
 * public page passes), or the receipt id for trusted callers (staff screens). An unknown or forged token is 404.
 */
export async function verifyReceipt(db: Db, ref: number | string): Promise<ReceiptVerification> {
  let id: number;
  let token: string | null = null;
  if (typeof ref === 'number') id = ref;
  else {
    const m = TOKEN.exec(ref.trim());
    if (!m) throw notFound('receipt', ref);
    id = Number(m[1]);
    token = m[0];
  }
  const { rows } = await db.raw(`${RECEIPTS} WHERE r.id = ?`, [id]);
  const r = rows[0];
  const doc = r?.document as ReceiptDocument | undefined;
  if (!r || !doc || (token !== null && !doc.verifyUrl.endsWith(token))) throw notFound('receipt', ref);
  const state = r.state as FormState;
  return {
    form: formLabel(r.form_type, r.series, r.form_no, r.digits),
    formType: r.form_type,
    series: r.series,
    formNo: pad(r.form_no, r.digits),
    issuedAt: doc.issuedAt,
    amountFen: doc.amountFen,
    accountNo: maskAccounts(doc.accountNo),
    utility: doc.utility,
    status: state === 'used' ? 'valid' : state === 'voided' ? 'voided' : 'replaced',
    reprintOf: doc.reprintOf ?? null,
  };
}

function summary(r: Record<string, never>): ReceiptSummary {
  const doc = r.document as ReceiptDocument;
  return {
    receiptId: Number(r.id),
    batch: r.batch,
    formType: r.form_type,
    series: r.series,
    formNo: pad(r.form_no, r.digits),
    form: formLabel(r.form_type, r.series, r.form_no, r.digits),
    state: r.state,
    cashier: r.cashier,
    amountFen: doc.amountFen,
    accountNo: doc.accountNo,
    createdAt: new Date(r.created_at).toISOString(),
    reprintOf: r.reprint_of === null ? null : Number(r.reprint_of),
  };
}

/** The receipts of a batch, first print first, with the state of each form. */
export async function receiptsOfBatch(db: Db, batchIn: unknown): Promise<ReceiptSummary[]> {
  const batch = parse(BatchInput, batchIn, 'batch');
  const { rows } = await db.raw(`${RECEIPTS} WHERE r.batch = ? ORDER BY r.id`, [batch]);
  return rows.map(summary);
}

/** The receipts of every batch the account was paid in, newest first. */
export async function receiptsOfAccount(db: Db, accountNo: string): Promise<ReceiptSummary[]> {
  const a = await db('cis.accounts').where({ account_no: accountNo.trim().toUpperCase() }).first('id');
  if (!a) throw notFound('account', accountNo);
  const { rows } = await db.raw(
    `${RECEIPTS} WHERE r.batch IN (SELECT batch FROM cis.payments WHERE account_id = ?) ORDER BY r.id DESC`,
    [a.id],
  );
  return rows.map(summary);
}

/** One receipt as printed (its document snapshot) with the layout its form type prints with now. */
export async function getReceipt(db: Db, receiptId: number): Promise<ReceiptView> {
  const { rows } = await db.raw(
    `SELECT x.*, t.kind, t.layout FROM (${RECEIPTS} WHERE r.id = ?) x
     JOIN cis.receipt_form_types t ON t.code = x.form_type`,
    [receiptId],
  );
  if (!rows[0]) throw notFound('receipt', receiptId);
  return { ...summary(rows[0]), document: rows[0].document, kind: rows[0].kind, layout: rows[0].layout ?? null };
}
