import type { EInvoiceItem, EInvoiceRequest, EInvoiceStatus } from '../../contracts/receipts.js';
import type { Seller } from './provider.js';

/** An item with its tax split out, as the invoice prints it. */
export interface PricedItem extends EInvoiceItem {
  netFen: number;
  taxFen: number;
}

/** Everything about one invoice that the provider keeps beside the signed XML, and that status() reads back. */
export interface InvoiceRecord extends EInvoiceStatus {
  seller: Seller;
  buyerName: string;
  buyerTaxId?: string;
  items: PricedItem[];
}

// Rates as whole basis points so that tax is integer arithmetic: VAT rates are whole or half percents.
const basisPoints = (rate: number) => Math.round(rate * 10_000);

/**
 * The tax inside a tax-included amount, amount × r / (1 + r), rounded half-up to the fen (DESIGN §5). BigInt: the
 * product of a large amount and the rate would leave the exact range of a number.
 */
export function taxIncluded(amountFen: number, rate: number): number {
  const bp = BigInt(basisPoints(rate));
  const divisor = 10_000n + bp;
  const abs = BigInt(Math.abs(amountFen));
  const tax = Number((2n * abs * bp + divisor) / (2n * divisor));
  return amountFen < 0 ? -tax : tax;
}

export function priceItems(items: EInvoiceItem[]): PricedItem[] {
  return items.map((item) => {
    const taxFen = taxIncluded(item.amountFen, item.taxRate);
    return { ...item, netFen: item.amountFen - taxFen, taxFen };
  });
}

/** What makes a request impossible to invoice; the caller has a bug, so these throw rather than answer 'failed'. */
export function checkRequest(req: EInvoiceRequest): void {
  const problems: string[] = [];
  if (!req.buyerName.trim()) problems.push('the buyer has no name');
  if (!req.paymentRef.trim()) problems.push('no payment reference');
  if (req.items.length === 0) problems.push('no items');
  for (const [n, item] of req.items.entries()) {
    if (!item.name.trim()) problems.push(`item ${n + 1} has no name`);
    if (!Number.isSafeInteger(item.amountFen) || item.amountFen <= 0) {
      problems.push(`item ${n + 1}: amount must be a positive whole number of fen, got ${item.amountFen}`);
    }
    if (
      !(item.taxRate >= 0 && item.taxRate < 1) ||
      Math.abs(basisPoints(item.taxRate) - item.taxRate * 10_000) > 1e-6
    ) {
      problems.push(`item ${n + 1}: tax rate must be a fraction in basis points (0.03), got ${item.taxRate}`);
    }
  }
  const sum = req.items.reduce((total, item) => total + item.amountFen, 0);
  if (sum !== req.totalFen) problems.push(`total ${req.totalFen} fen is not the sum of the items, ${sum} fen`);
  if (problems.length > 0) throw new RangeError(`cannot invoice: ${problems.join('; ')}`);
}

export const totals = (items: PricedItem[]) => ({
  netFen: items.reduce((sum, i) => sum + i.netFen, 0),
  taxFen: items.reduce((sum, i) => sum + i.taxFen, 0),
  totalFen: items.reduce((sum, i) => sum + i.amountFen, 0),
});
