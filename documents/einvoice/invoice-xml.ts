import { amountInCapitals, formatYuan } from '../chinese-amount.js';
import type { InvoiceRecord } from './invoice-record.js';
import { totals } from './invoice-record.js';

// The Char production of XML 1.0: no escape can carry other characters (C0 controls but tab, newline and carriage
// return, lone surrogates, U+FFFE, U+FFFF).
const isXmlChar = (cp: number) =>
  cp === 0x9 ||
  cp === 0xa ||
  cp === 0xd ||
  (cp >= 0x20 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd) ||
  cp >= 0x10000;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an element or an attribute; refuses what XML cannot hold rather than signing a changed name. */
export function escapeXml(text: string): string {
  if (![...text].every((ch) => isXmlChar(ch.codePointAt(0) ?? 0)))
    throw new RangeError(`text cannot be written in XML: ${JSON.stringify(text)}`);
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** An element: text, child elements, or nothing (left out, so optional values do not print as empty tags). */
export type XmlElement = [name: string, content: string | XmlElement[] | undefined];

function write([name, content]: XmlElement, indent: string): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return `${indent}<${name}>${escapeXml(content)}</${name}>\n`;
  return `${indent}<${name}>\n${content.map((child) => write(child, indent + '  ')).join('')}${indent}</${name}>\n`;
}

export const xmlDocument = (root: XmlElement) => `<?xml version="1.0" encoding="UTF-8"?>\n${write(root, '')}`;

// Yuan without thousands separators, as machine-read amounts are written.
const amount = (fen: number) => formatYuan(fen).replace(/,/g, '');

/**
 * The invoice as the local provider signs it. The element names are ours (the tax bureau's schema is not public);
 * a provider for the real platform maps the same record to its own format.
 */
export function invoiceXml(invoice: InvoiceRecord): string {
  const sum = totals(invoice.items);
  return xmlDocument([
    'EInvoice',
    [
      [
        'Header',
        [
          ['InvoiceNumber', invoice.invoiceNo],
          ['InvoiceType', '电子发票（普通发票）'],
          ['Colour', invoice.colour],
          ['IssueTime', invoice.issuedAt],
          ['PaymentRef', invoice.paymentRef],
        ],
      ],
      [
        'Seller',
        [
          ['Name', invoice.seller.name],
          ['TaxId', invoice.seller.taxId],
          ['Address', invoice.seller.address],
          ['BankAccount', invoice.seller.bankAccount],
        ],
      ],
      [
        'Buyer',
        [
          ['Name', invoice.buyerName],
          ['TaxId', invoice.buyerTaxId],
        ],
      ],
      [
        'Items',
        invoice.items.map((item): XmlElement => [
          'Item',
          [
            ['Name', item.name],
            ['Amount', amount(item.netFen)],
            ['TaxRate', String(item.taxRate)],
            ['TaxAmount', amount(item.taxFen)],
            ['AmountIncludingTax', amount(item.amountFen)],
          ],
        ]),
      ],
      [
        'Totals',
        [
          ['Amount', amount(sum.netFen)],
          ['TaxAmount', amount(sum.taxFen)],
          ['AmountIncludingTax', amount(sum.totalFen)],
          ['AmountInCapitals', amountInCapitals(sum.totalFen)],
        ],
      ],
      [
        'RedLetter',
        invoice.originalInvoiceNo === undefined
          ? undefined
          : [
              ['OriginalInvoiceNumber', invoice.originalInvoiceNo],
              ['Reason', invoice.reason],
            ],
      ],
    ],
  ]);
}
