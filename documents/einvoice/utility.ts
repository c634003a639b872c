import { join } from 'node:path';
import type { Knex } from 'knex';
import type { ReceiptDocument } from '../../contracts/receipts.js';
import { createLocalProvider, type EInvoiceProvider } from './index.js';
import type { EInvoiceRecord, ReceiptsService } from '../../domain/receipts/service.js';

/**
 * The e-invoice provider of this installation: the local one (signed XML + PDF files under DATA_DIR/einvoices)
 * until a tax-platform adapter is configured. Built once, on first use, with the seller from the payment settings.
 */
export function einvoiceProvider(knex: Knex, dataDir: string): () => Promise<EInvoiceProvider> {
  let provider: Promise<EInvoiceProvider> | undefined;
  return () =>
    (provider ??= (async () => {
      const s = await knex('cis.payment_settings').first('utility_name', 'seller_tax_id');
      return createLocalProvider({
        dir: join(dataDir, 'einvoices'),
        seller: { name: s.utility_name, taxId: s.seller_tax_id },
      });
    })());
}

/** Tap water carries the 3 % simplified levy; late fees and other charges follow the water they belong to. */
const WATER_TAX_RATE = 0.03;

/**
 * Issues the 数电发票 of a paid batch for a customer who wants one, and records what the provider answered. The
 * payment stands whatever happens here; a failure is recorded as such and shown, so the cashier can retry.
 */
export async function issueEInvoice(
  receipts: ReceiptsService,
  provider: EInvoiceProvider,
  batch: string,
  doc: ReceiptDocument,
  actor: string,
): Promise<EInvoiceRecord> {
  const items = doc.lines
    .filter((l) => l.amountFen > 0 && l.kind !== 'credit')
    .map((l) => ({ name: l.label, amountFen: l.amountFen, taxRate: WATER_TAX_RATE }));
  const settled = items.reduce((s, i) => s + i.amountFen, 0);
  // Prepaid credit is invoiced when it settles a bill, not when it is paid in: only what settled debts counts.
  const result = await provider.issue({
    buyerName: doc.customerName,
    // the printed receipt's number, or the batch when the customer takes the e-invoice alone
    paymentRef: doc.formNo ? `${doc.formType}${doc.series}${doc.formNo}` : batch,
    items,
    totalFen: settled,
  });
  return receipts.recordEInvoice(
    {
      batch,
      invoiceNo: result.invoiceNo,
      provider: 'local',
      status: result.status,
      amountFen: settled,
      pdfPath: result.pdfPath,
      xmlPath: result.xmlPath,
    },
    { actor },
  );
}

/**
 * A reversed payment takes its e-invoices back: each issued one of the batch gets its red-letter invoice (红冲),
 * recorded beside it. A failure is logged by the caller; the reversal stands and the invoice shows as issued still.
 */
export async function redLetterBatch(
  receipts: ReceiptsService,
  provider: EInvoiceProvider,
  batch: string,
  reason: string,
  actor: string,
): Promise<EInvoiceRecord[]> {
  const done: EInvoiceRecord[] = [];
  for (const inv of await receipts.einvoicesOfBatch(batch)) {
    if (inv.status !== 'issued') continue;
    const red = await provider.redLetter(inv.invoiceNo, reason);
    done.push(await receipts.markRedLettered(inv.invoiceNo, red.invoiceNo, { actor }));
  }
  return done;
}
