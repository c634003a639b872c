import type { ReceiptField, ReceiptFieldPosition, ReceiptLayout } from '../../../contracts/receipts';
import { api } from './http';

export type { ReceiptField, ReceiptFieldPosition, ReceiptLayout };

// The receipt stock's answers as server/api/receipts.ts sends them (domain/receipts/views.ts and issue.ts declare
// them). contracts/receipts.ts has the printed document only; these shapes belong there, and this file would then
// re-export them.

/** 未用 → 已领用 → 已使用 / 已作废 / 打印失败 (→ 已补打) / 遗失. */
export type FormState = 'unused' | 'issued' | 'used' | 'voided' | 'print_failed' | 'reprinted' | 'lost';
export const FORM_STATES: FormState[] = ['unused', 'issued', 'used', 'voided', 'print_failed', 'reprinted', 'lost'];

/** The e-invoice (数电发票) of a batch, for customers who want one. */
export interface BatchEInvoice {
  invoiceNo: string;
  status: string;
}

/**
 * A batch's receipt: printed on the cashier's next form (`receiptId`…`pdfUrl` null when the customer takes only
 * an e-invoice), and the e-invoice where the customer wants one.
 */
export interface IssuedReceipt {
  receiptId: number | null;
  formType: string | null;
  series: string | null;
  formNo: string | null;
  pdfUrl: string | null;
  preference?: 'paper' | 'einvoice' | 'both';
  einvoice?: BatchEInvoice | null;
  einvoiceError?: string | null;
}

/** A failed print (打印失败) and its reprint on the next form. */
export interface Reprint {
  failed: { receiptId: number; form: string; state: 'print_failed' };
  receiptId: number;
  formType: string;
  series: string;
  formNo: string;
  pdfUrl: string;
}

export interface FormRange {
  formType: string;
  series: string;
  from: string;
  to: string;
  count: number;
}

/** What a cashier holds: blank ranges, and per type and series the number the next receipt prints on. */
export interface MyStock {
  cashier: string;
  ranges: FormRange[];
  next: Array<{ formType: string; series: string; formNo: string; remaining: number }>;
}

export interface FormRow {
  formType: string;
  series: string;
  formNo: string;
  state: FormState;
  cashier: string | null;
  blockId?: number;
  updatedAt: string;
}

/** Forms counted by cashier (`key` null: the forms in the safe) or by state, with the states inside. */
export interface FormCount {
  key: string | null;
  count: number;
  byState: Record<FormState, number>;
}

export interface FormEvent {
  id: number;
  fromState: FormState | null;
  toState: FormState;
  actor: string;
  cashier: string | null;
  reason: string | null;
  receiptId: number | null;
  at: string;
}

export interface FormHistory {
  form: FormRow & {
    formNoText: string;
    receivedAt: string;
    pendingVoid: { reason: string; requestedBy: string } | null;
  };
  events: FormEvent[];
  receipts: Array<{ receiptId: number; batch: string; cashier: string; createdAt: string; reprintOf: number | null }>;
}

export interface FormType {
  code: string;
  name: string;
  kind: ReceiptLayout['kind'];
  /** Positions measured on the utility's own form; null: the default layout of the kind. */
  layout: ReceiptLayout | null;
  updatedAt?: string;
}

export interface FormsFilter {
  cashier?: string;
  state?: string;
  formType?: string;
  series?: string;
  limit?: number;
  offset?: number;
}

/** A range of one form type and series, by number (`from`/`to` as printed, leading zeros kept). */
export interface RangeInput {
  formType: string;
  series: string;
  from: string;
  to: string;
}

const query = (params: object) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
const formPath = (f: Pick<FormRow, 'formType' | 'series' | 'formNo'>) =>
  `/api/receipts/forms/${encodeURIComponent(f.formType)}/${encodeURIComponent(f.series)}/${encodeURIComponent(f.formNo)}`;

export const receiptsApi = {
  issueForBatch: (batch: string, formType?: string) =>
    api<IssuedReceipt>('POST', `/api/receipts/batches/${encodeURIComponent(batch)}`, formType ? { formType } : {}),
  printFailed: (receiptId: number) => api<Reprint>('POST', `/api/receipts/${receiptId}/print-failed`, {}),
  pdfUrl: (receiptId: number) => `/api/receipts/${receiptId}/pdf`,
  myStock: () => api<MyStock>('GET', '/api/receipts/stock/me'),
  forms: (filter: FormsFilter) =>
    api<{ forms: FormRow[]; total: number }>('GET', `/api/receipts/forms${query(filter)}`),
  counts: (groupBy: 'cashier' | 'state') =>
    api<{ items: FormCount[] }>('GET', `/api/receipts/forms/counts${query({ groupBy })}`),
  history: (form: Pick<FormRow, 'formType' | 'series' | 'formNo'>) =>
    api<FormHistory>('GET', `${formPath(form)}/history`),
  receiveBlock: (range: RangeInput & { note: string }) => api<unknown>('POST', '/api/receipts/blocks', range),
  issue: (range: RangeInput & { cashier: string }) => api<unknown>('POST', '/api/receipts/issue', range),
  returnForms: (range: RangeInput & { cashier: string }) => api<unknown>('POST', '/api/receipts/return', range),
  requestVoid: (form: Pick<FormRow, 'formType' | 'series' | 'formNo'>, reason: string) =>
    api<unknown>('POST', '/api/receipts/void-requests', { ...form, reason }),
  formTypes: () => api<{ items: FormType[] }>('GET', '/api/receipts/form-types'),
  saveLayout: (code: string, layout: ReceiptLayout) =>
    api<unknown>('PUT', `/api/receipts/form-types/${encodeURIComponent(code)}/layout`, layout),
  calibrationUrl: (code: string) => `/api/receipts/form-types/${encodeURIComponent(code)}/calibration.pdf`,
};
