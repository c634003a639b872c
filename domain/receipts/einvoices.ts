import type { Knex } from 'knex';
import type { EInvoiceRecord, ReceiptPreference } from '../../contracts/receipts.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { inTransaction } from '../transaction.js';
import { batchPayments } from './document.js';
import { conflict, notFound, refusals } from './errors.js';
import { BatchInput, EInvoiceInput, InvoiceNoInput, parse } from './schemas.js';

export type { EInvoiceRecord, ReceiptPreference };

type Db = Knex | Knex.Transaction;

const view = (r: Record<string, never>): EInvoiceRecord => ({
  id: Number(r.id),
  batch: r.batch,
  invoiceNo: r.invoice_no,
  provider: r.provider,
  status: r.status,
  amountFen: Number(r.amount_fen),
  pdfPath: r.pdf_path,
  xmlPath: r.xml_path,
  redLetterNo: r.red_letter_no,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/**
 * Keeps what the e-invoice provider answered for a batch (the server or a worker calls the provider). The same
 * invoice recorded again for the same batch and amount answers with the first record; an invoice number already
 * recorded for something else is 409 `invoice_exists`.
 */
export async function recordEInvoice(knex: Knex, input: unknown, ctx: ChangeContext): Promise<EInvoiceRecord> {
  const v = parse(EInvoiceInput, input);
  return inTransaction(knex, 'recordEInvoice', ctx, refusals, async (trx, c) => {
    const payments = await batchPayments(trx, v.batch);
    await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 5))', [`einvoice:${v.invoiceNo}`]);
    const existing = await trx('cis.einvoices').where({ invoice_no: v.invoiceNo }).first();
    if (existing) {
      if (existing.batch === v.batch && Number(existing.amount_fen) === v.amountFen) return view(existing);
      throw conflict(
        'invoice_exists',
        `invoice ${v.invoiceNo} is recorded for batch ${existing.batch} (${Number(existing.amount_fen)} fen)`,
        'invoiceNo',
      );
    }
    const [row] = await trx('cis.einvoices')
      .insert({
        batch: v.batch,
        invoice_no: v.invoiceNo,
        provider: v.provider,
        status: v.status,
        amount_fen: v.amountFen,
        pdf_path: v.pdfPath ?? null,
        xml_path: v.xmlPath ?? null,
      })
      .returning('*');
    await writeAudit(trx, c, [
      {
        action: 'einvoice_recorded',
        entity: 'einvoice',
        entityId: v.invoiceNo,
        accountId: payments[0].accountId,
        after: { batch: v.batch, provider: v.provider, status: v.status, amountFen: v.amountFen },
      },
    ]);
    return view(row);
  });
}

/**
 * 红冲: the provider issued the red invoice that cancels this one. Only an issued invoice is red-lettered; the
 * same red-letter number again answers with the record, another one is 409.
 */
export async function markRedLettered(
  knex: Knex,
  invoiceNoIn: unknown,
  redLetterNoIn: unknown,
  ctx: ChangeContext,
): Promise<EInvoiceRecord> {
  const invoiceNo = parse(InvoiceNoInput, invoiceNoIn, 'invoiceNo');
  const redLetterNo = parse(InvoiceNoInput, redLetterNoIn, 'redLetterNo');
  return inTransaction(knex, 'markRedLettered', ctx, refusals, async (trx, c) => {
    const inv = await trx('cis.einvoices').where({ invoice_no: invoiceNo }).forUpdate().first();
    if (!inv) throw notFound('e-invoice', invoiceNo);
    if (inv.status === 'red-lettered') {
      if (inv.red_letter_no === redLetterNo) return view(inv);
      throw conflict(
        'already_red_lettered',
        `invoice ${invoiceNo} was red-lettered by ${inv.red_letter_no}`,
        'redLetterNo',
      );
    }
    if (inv.status !== 'issued')
      throw conflict('not_issued', `invoice ${invoiceNo} is ${inv.status}: nothing to red-letter`);
    const [row] = await trx('cis.einvoices')
      .where({ id: inv.id })
      .update({ status: 'red-lettered', red_letter_no: redLetterNo, updated_at: trx.fn.now() })
      .returning('*');
    await writeAudit(trx, c, [
      {
        action: 'einvoice_red_lettered',
        entity: 'einvoice',
        entityId: invoiceNo,
        before: { status: inv.status },
        after: { status: 'red-lettered', redLetterNo },
      },
    ]);
    return view(row);
  });
}

export async function einvoicesOfBatch(db: Db, batchIn: unknown): Promise<EInvoiceRecord[]> {
  const batch = parse(BatchInput, batchIn, 'batch');
  return (await db('cis.einvoices').where({ batch }).orderBy('id')).map(view);
}

/**
 * Paper, e-invoice or both, as the paying customer chose (cis.customers.receipt_preference). The accounts of a
 * batch are one customer's; should they not be, the widest wish wins (both, then einvoice, then paper).
 */
export async function receiptPreference(db: Db, batchIn: unknown): Promise<ReceiptPreference> {
  const batch = parse(BatchInput, batchIn, 'batch');
  const payments = await batchPayments(db, batch);
  const prefs: string[] = await db('cis.customers')
    .whereIn('id', [...new Set(payments.map((p) => p.customerId))])
    .pluck('receipt_preference');
  if (prefs.includes('both') || (prefs.includes('einvoice') && prefs.includes('paper'))) return 'both';
  return prefs.includes('einvoice') ? 'einvoice' : 'paper';
}
