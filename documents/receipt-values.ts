import type { ReceiptDocument, ReceiptField, ReceiptLine } from '../contracts/receipts.js';
import { PAYMENT_METHOD_LABELS, RECEIPT_LINE_KIND_LABELS } from '../contracts/receipts.js';
import { amountInCapitals, formatUnitPrice, formatYuan } from './chinese-amount.js';

// Cashiers and customers read China time whatever zone the server runs in.
const TIME_ZONE = 'Asia/Shanghai';

export function chinaTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

export const yuan = (fen: number) => `¥${formatYuan(fen)}`;

export const reprintNote = (doc: ReceiptDocument) => (doc.reprintOf ? `补打 (原票号 ${doc.reprintOf})` : '');

/** The text of each field, '' where the receipt has nothing to say (no change on a card payment). */
export function fieldValues(doc: ReceiptDocument): Record<ReceiptField, string> {
  return {
    formNo: `${doc.series} ${doc.formNo}`,
    date: chinaTime(doc.issuedAt),
    utility: doc.utility,
    accountNo: doc.accountNo,
    customerName: doc.customerName,
    address: doc.address,
    method: PAYMENT_METHOD_LABELS[doc.method],
    amountFigures: yuan(doc.amountFen),
    amountCapitals: amountInCapitals(doc.amountFen),
    tendered: doc.tenderedFen === undefined ? '' : yuan(doc.tenderedFen),
    change: doc.changeFen === undefined ? '' : yuan(doc.changeFen),
    creditAfter: yuan(doc.creditAfterFen),
    cashier: doc.cashier,
    reprint: reprintNote(doc),
  };
}

/** One printed row of the lines area: a receipt line, one of its tariff components, or the "more" note. */
export interface LineRow {
  period: string;
  label: string;
  volume: string;
  amount: string;
  component: boolean;
}

export function lineRow(line: ReceiptLine): LineRow {
  return {
    period: line.period,
    label: line.label || RECEIPT_LINE_KIND_LABELS[line.kind],
    volume: line.volume ?? '',
    amount: formatYuan(line.amountFen),
    component: false,
  };
}

export function componentRows(line: ReceiptLine): LineRow[] {
  return (line.components ?? []).map((c) => ({
    period: '',
    label: `${c.component} 第${c.tier}阶 单价 ${formatUnitPrice(c.priceFen)}`,
    volume: c.volume,
    amount: formatYuan(c.amountFen),
    component: true,
  }));
}

/**
 * The rows that fit a form's lines area. Lines come first: with more lines than rows, the last row says how many
 * there are in all ("…等12项", 等 counting the whole, as in 张三等五人) and the amount in figures carries the sum.
 * Components of a line print under it only when all of them fit, so a printed breakdown is never partial.
 */
export function fitRows(lines: ReceiptLine[], maxRows: number): LineRow[] {
  if (lines.length > maxRows) {
    const note = { period: '', label: `…等${lines.length}项`, volume: '', amount: '', component: false };
    return [...lines.slice(0, Math.max(0, maxRows - 1)).map(lineRow), note];
  }
  let spare = maxRows - lines.length;
  return lines.flatMap((line) => {
    const components = componentRows(line);
    if (components.length === 0 || components.length > spare) return [lineRow(line)];
    spare -= components.length;
    return [lineRow(line), ...components];
  });
}
