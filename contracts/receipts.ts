// Receipts (收据) and e-invoices (数电发票) as documents/ prints and issues them. Money is integer fen (DESIGN §5);
// volumes are m³ strings with 3 decimals, as the database returns numeric.

import type { PaymentMethod } from './payments.js';

// Declared once with the payments; re-exported so receipt code finds it with the receipt shapes.
export type { PaymentMethod };
export type ReceiptLineKind = 'bill' | 'late_fee' | 'charge' | 'credit';

/** One tier of one tariff component of a bill line (水费 第2阶 …). */
export interface ReceiptLineComponent {
  component: string;
  tier: number;
  volume: string;
  priceFen: number;
  amountFen: number;
}

export interface ReceiptLine {
  /** `YYYY-MM`, or '' for what belongs to no period (a prepayment, a fee). */
  period: string;
  kind: ReceiptLineKind;
  label: string;
  volume?: string;
  amountFen: number;
  components?: ReceiptLineComponent[];
}

/** Everything one printed receipt says; the printer adds nothing but layout. */
export interface ReceiptDocument {
  formType: string;
  series: string;
  formNo: string;
  /** ISO 8601; printed in China time. */
  issuedAt: string;
  utility: string;
  cashier: string;
  accountNo: string;
  customerName: string;
  address: string;
  method: PaymentMethod;
  amountFen: number;
  tenderedFen?: number;
  changeFen?: number;
  creditAfterFen: number;
  lines: ReceiptLine[];
  verifyUrl: string;
  /** The earlier form number when this is a reprint (补打). */
  reprintOf?: string;
}

/** The values a pre-printed form has a box for. */
export type ReceiptField =
  | 'formNo'
  | 'date'
  | 'utility'
  | 'accountNo'
  | 'customerName'
  | 'address'
  | 'method'
  | 'amountFigures'
  | 'amountCapitals'
  | 'tendered'
  | 'change'
  | 'creditAfter'
  | 'cashier'
  | 'reprint';

export interface ReceiptFieldPosition {
  xMm: number;
  yMm: number;
  widthMm?: number;
  fontSize?: number;
}

/**
 * Where a receipt prints. `preprinted` places values only, in millimetres from the top-left corner of the paper
 * (套打); `plain` and `e-receipt` print the whole form and ignore the positions.
 */
export interface ReceiptLayout {
  kind: 'preprinted' | 'plain' | 'e-receipt';
  pageWidthMm: number;
  pageHeightMm: number;
  /** `undefined`: the form has no box for it, nothing prints. */
  fields: Record<ReceiptField, ReceiptFieldPosition | undefined>;
  qr?: { xMm: number; yMm: number; sizeMm: number };
  linesArea?: { xMm: number; yMm: number; widthMm: number; rowHeightMm: number; maxRows: number };
}

// Printed words; the brief of the receipt feature allows them here until contracts/labels carries receipts.
export const PAYMENT_METHOD_LABELS = {
  cash: '现金',
  card: '银行卡',
  qr: '扫码支付',
  cheque: '支票',
  transfer: '转账',
} as const satisfies Record<PaymentMethod, string>;

export const RECEIPT_LINE_KIND_LABELS = {
  bill: '水费',
  late_fee: '滞纳金',
  charge: '费用',
  credit: '预存',
} as const satisfies Record<ReceiptLineKind, string>;

// ——— E-invoices (数电发票) ———

export interface EInvoiceItem {
  name: string;
  /** Tax included (价税合计 of the item), as the customer paid it. */
  amountFen: number;
  /** A fraction: 0.03 for the 3 % simplified levy on tap water. */
  taxRate: number;
}

export interface EInvoiceRequest {
  buyerName: string;
  buyerTaxId?: string;
  /** The payment the invoice is for (receipt form number or channel serial). */
  paymentRef: string;
  items: EInvoiceItem[];
  /** Must equal the sum of the items. */
  totalFen: number;
}

export type EInvoiceState = 'issued' | 'red-lettered' | 'failed';

export interface EInvoiceResult {
  invoiceNo: string;
  status: EInvoiceState;
  issuedAt: string;
  pdfPath: string;
  xmlPath: string;
  /** Why the provider refused, when `status` is 'failed'. */
  error?: string;
}

export interface EInvoiceStatus {
  invoiceNo: string;
  /** 'blue' is an ordinary invoice, 'red' the negative one that cancels a blue one (红字发票). */
  colour: 'blue' | 'red';
  status: EInvoiceState;
  issuedAt: string;
  totalFen: number;
  paymentRef: string;
  /** On a red invoice: the blue one it cancels. */
  originalInvoiceNo?: string;
  /** On a red-lettered blue invoice: the red one that cancelled it. */
  redInvoiceNo?: string;
  reason?: string;
}
