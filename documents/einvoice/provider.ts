import type { EInvoiceRequest, EInvoiceResult, EInvoiceStatus } from '../../contracts/receipts.js';

/**
 * Who issues e-invoices (数电发票) for the utility: the tax bureau's platform through an intermediary in production,
 * the local provider (files in a folder) in development, demos and tests. Callers see only this.
 *
 * A provider throws on a request that cannot be right (totals that do not add up, an unknown invoice); it answers
 * `status: 'failed'` when a well-formed request was refused by the platform, so the caller can show why and retry.
 */
export interface EInvoiceProvider {
  issue(req: EInvoiceRequest): Promise<EInvoiceResult>;
  /** Cancels an issued invoice with a negative one (红字发票) that names it; the original becomes 'red-lettered'. */
  redLetter(invoiceNo: string, reason: string): Promise<EInvoiceResult>;
  status(invoiceNo: string): Promise<EInvoiceStatus>;
}

/** The seller printed on every invoice: the utility. */
export interface Seller {
  name: string;
  /** 统一社会信用代码 */
  taxId: string;
  address?: string;
  bankAccount?: string;
}

export class UnknownInvoiceError extends Error {
  constructor(readonly invoiceNo: string) {
    super(`unknown invoice ${JSON.stringify(invoiceNo)}: no such invoice was issued here`);
    this.name = 'UnknownInvoiceError';
  }
}
