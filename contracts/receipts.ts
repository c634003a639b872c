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

// ——— The receipt stock (票据) as /api/receipts answers it ———
// Declared by domain/receipts (states.ts, stock.ts, voids.ts, views.ts, verify.ts, issue.ts, form-types.ts,
// einvoices.ts), which re-exports them under these names; read by the web app. Times are ISO strings already in the
// domain.

/** 未用 → 已领用 → 已使用 / 已作废 / 打印失败 (→ 已补打) / 遗失. */
export type FormState = 'unused' | 'issued' | 'used' | 'voided' | 'print_failed' | 'reprinted' | 'lost';

/** A range received, issued, returned or lost (`from`/`to` as printed, leading zeros kept). */
export interface RangeResult {
  formType: string;
  series: string;
  from: string;
  to: string;
  count: number;
  state: FormState;
  cashier: string | null;
}

export interface BlockResult extends RangeResult {
  blockId: number;
  digits: number;
}

export interface VoidResult {
  form: string;
  state: FormState;
  /** A request waits for the `receipt-void` approval. */
  pending: boolean;
  reason: string;
}

export interface FormListItem {
  formType: string;
  series: string;
  /** Zero-padded to the digits of the form's block. */
  formNo: string;
  state: FormState;
  cashier: string | null;
  blockId: number;
  updatedAt: string;
}

export interface FormEvent {
  id: number;
  fromState: FormState | null;
  toState: FormState;
  cashier: string | null;
  actor: string;
  reason: string | null;
  receiptId: number | null;
  processInstanceKey: string | null;
  at: string;
}

export interface FormHistory {
  form: FormListItem & {
    digits: number;
    /** `SF A 0000123`. */
    label: string;
    /** The number as printed (the same as `formNo`). */
    formNoText: string;
    receivedAt: string;
    pendingVoid: { reason: string; requestedBy: string } | null;
  };
  events: FormEvent[];
  receipts: Array<{ receiptId: number; batch: string; cashier: string; createdAt: string; reprintOf: number | null }>;
}

/** Forms counted by cashier (`key` null: the forms in the safe) or by state, with the states inside. */
export interface FormCount {
  /** The cashier (null: the forms in the safe) or the state. */
  key: string | null;
  count: number;
  byState: Record<FormState, number>;
}

/** A run of consecutive blank forms a cashier holds. */
export interface HeldRange {
  formType: string;
  series: string;
  from: string;
  to: string;
  count: number;
}

/** What a cashier holds: blank ranges, and per type and series the number the next receipt prints on. */
export interface CashierStock {
  cashier: string;
  ranges: HeldRange[];
  /** Per type and series: the number the next receipt prints on (a form waiting for a void decision is skipped). */
  next: Array<{ formType: string; series: string; formNo: string; remaining: number }>;
}

/** What the public verification page (the receipt's QR code) may show: no name, no address, no full account. */
export interface ReceiptVerification {
  form: string;
  formType: string;
  series: string;
  formNo: string;
  issuedAt: string;
  amountFen: number;
  /** `12****78`: enough for the customer to recognise, useless to anyone else. */
  accountNo: string;
  utility: string;
  /** valid: the receipt stands; voided: cancelled; replaced: reprinted on another form (print failed or 补打). */
  status: 'valid' | 'voided' | 'replaced';
  /** On a reprint: the form it replaces. */
  reprintOf: string | null;
}

export interface ReceiptSummary {
  receiptId: number;
  batch: string;
  formType: string;
  series: string;
  formNo: string;
  form: string;
  state: FormState;
  cashier: string;
  amountFen: number;
  accountNo: string;
  createdAt: string;
  reprintOf: number | null;
}

export interface ReceiptView extends ReceiptSummary {
  document: ReceiptDocument;
  /** The kind of the form type, for the default layout when `layout` is null. */
  kind: ReceiptLayout['kind'];
  layout: ReceiptLayout | null;
}

/** A receipt printed on a form (the domain's answer; the API sends a `BatchReceipt`). */
export interface IssuedReceipt {
  receiptId: number;
  formType: string;
  series: string;
  /** Zero-padded to the digits of the form's block. */
  formNo: string;
  document: ReceiptDocument;
  /** The form type's own layout; null: the default layout of its kind. */
  layout: ReceiptLayout | null;
}

/** The failed form (打印失败) and the receipt printed again on the next one (the API sends a `Reprint`). */
export interface PrintFailedResult {
  failed: { receiptId: number; form: string; state: 'print_failed' };
  reprint: IssuedReceipt;
}

export interface FormTypeView {
  code: string;
  name: string;
  kind: ReceiptLayout['kind'];
  /** Field positions measured on the utility's own form; null: the default layout of the kind. */
  layout: ReceiptLayout | null;
  updatedAt: string;
}

/** GET /api/receipts/form-types: each type with the layout it prints with (its own, else its kind's default). */
export interface FormTypeListItem extends FormTypeView {
  effectiveLayout: ReceiptLayout;
}

/** How a customer wants the receipt of a payment: on paper, as an e-invoice (数电发票), or both. */
export type ReceiptPreference = 'paper' | 'einvoice' | 'both';

/** An e-invoice as the utility keeps it: what the provider answered for a batch. */
export interface EInvoiceRecord {
  id: number;
  batch: string;
  invoiceNo: string;
  provider: string;
  status: EInvoiceState;
  amountFen: number;
  pdfPath: string | null;
  xmlPath: string | null;
  redLetterNo: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * POST /api/receipts/batches/:batch: the batch's receipt printed on the cashier's next form (`receiptId`…`pdfUrl`
 * null when the customer takes only an e-invoice), and the e-invoice where the customer wants one.
 */
export interface BatchReceipt {
  receiptId: number | null;
  formType: string | null;
  series: string | null;
  formNo: string | null;
  pdfUrl: string | null;
  preference: ReceiptPreference;
  einvoice: EInvoiceRecord | null;
  /** Why the e-invoice was not issued (the paper receipt stands). */
  einvoiceError: string | null;
}

/** POST /api/receipts/:id/print-failed: the failed form, and the reprint on the next form. */
export interface Reprint {
  failed: PrintFailedResult['failed'];
  receiptId: number;
  formType: string;
  series: string;
  formNo: string;
  pdfUrl: string;
}
