import type { ReceiptField, ReceiptFieldPosition, ReceiptLayout } from '../../../contracts/receipts';
import { api } from './http';

export type { ReceiptField, ReceiptFieldPosition, ReceiptLayout };

// The receipt stock's answers as server/api/receipts.ts sends them. contracts/receipts.ts declares the printed
// document only; these shapes move there when the server declares them, and this file then re-exports them.

/** 未用 → 已领用 → 已使用 / 已作废 / 打印失败 (→ 已补打) / 遗失. */
export type FormState = 'unused' | 'issued' | 'used' | 'voided' | 'print_failed' | 'reprinted' | 'lost';
export const FORM_STATES: FormState[] = ['unused', 'issued', 'used', 'voided', 'print_failed', 'reprinted', 'lost'];

/** A receipt printed for a payment batch, on the cashier's next form. */
export interface IssuedReceipt {
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

export interface MyStock {
  ranges: FormRange[];
  next: { formType: string; series: string; formNo: string } | null;
}

export interface FormRow {
  formType: string;
  series: string;
  formNo: string;
  state: FormState;
  cashier: string | null;
  updatedAt: string;
}

export interface FormCount {
  key: string;
  state?: FormState;
  count: number;
}

export interface FormEvent {
  fromState: FormState | null;
  toState: FormState;
  actor: string;
  cashier: string | null;
  reason: string | null;
  at: string;
}

export interface FormType {
  code: string;
  name: string;
  kind: ReceiptLayout['kind'];
  layout: ReceiptLayout | null;
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
  `/api/receipts/forms/${encodeURIComponent(f.formType)}/${encodeURIComponent(f.series || '-')}/${encodeURIComponent(f.formNo)}`;

export const receiptsApi = {
  issueForBatch: (batch: string, formType?: string) =>
    api<IssuedReceipt>('POST', `/api/receipts/batches/${encodeURIComponent(batch)}`, formType ? { formType } : {}),
  printFailed: (receiptId: number) =>
    api<Omit<IssuedReceipt, 'formType' | 'series'> & Partial<IssuedReceipt>>(
      'POST',
      `/api/receipts/${receiptId}/print-failed`,
      {},
    ),
  pdfUrl: (receiptId: number) => `/api/receipts/${receiptId}/pdf`,
  myStock: () => api<MyStock>('GET', '/api/receipts/stock/me'),
  forms: (filter: FormsFilter) =>
    api<{ items: FormRow[]; total: number }>('GET', `/api/receipts/forms${query(filter)}`),
  counts: (groupBy: 'cashier' | 'state') =>
    api<{ items: FormCount[] }>('GET', `/api/receipts/forms/counts${query({ groupBy })}`),
  history: (form: Pick<FormRow, 'formType' | 'series' | 'formNo'>) =>
    api<{ items: FormEvent[] }>('GET', `${formPath(form)}/history`),
  receiveBlock: (range: RangeInput & { note: string }) => api<unknown>('POST', '/api/receipts/blocks', range),
  issue: (range: RangeInput & { cashier: string }) => api<unknown>('POST', '/api/receipts/issue', range),
  returnForms: (range: RangeInput & { cashier: string }) => api<unknown>('POST', '/api/receipts/return', range),
  requestVoid: (form: Pick<FormRow, 'formType' | 'series' | 'formNo'>, reason: string) =>
    api<unknown>('POST', '/api/receipts/void-requests', { ...form, reason }),
  formTypes: () => api<FormType[]>('GET', '/api/receipts/form-types'),
  saveLayout: (code: string, layout: ReceiptLayout) =>
    api<unknown>('PUT', `/api/receipts/form-types/${encodeURIComponent(code)}/layout`, layout),
  calibrationUrl: (code: string) => `/api/receipts/form-types/${encodeURIComponent(code)}/calibration.pdf`,
};
