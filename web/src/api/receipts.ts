import type {
  BatchReceipt,
  CashierStock,
  FormCount,
  FormHistory,
  FormListItem,
  FormState,
  FormTypeListItem,
  ReceiptLayout,
  Reprint,
} from '../../../contracts/receipts';
import { api } from './http';

// The receipt stock's answers are declared once in contracts/receipts.ts (as server/api/receipts.ts sends them);
// only the requests the screens build are declared here.
export type {
  BatchReceipt,
  CashierStock,
  EInvoiceRecord,
  FormCount,
  FormEvent,
  FormHistory,
  FormListItem,
  FormState,
  FormTypeListItem,
  HeldRange,
  ReceiptField,
  ReceiptFieldPosition,
  ReceiptLayout,
  ReceiptPreference,
  Reprint,
} from '../../../contracts/receipts';

// The states in their order of life, as a value (the contract is type-only): the Record does not compile with a
// state of the contract missing here, or one too many.
const IN_ORDER: Record<FormState, true> = {
  unused: true,
  issued: true,
  used: true,
  voided: true,
  print_failed: true,
  reprinted: true,
  lost: true,
};
export const FORM_STATES = Object.keys(IN_ORDER) as FormState[];

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
type FormKey = Pick<FormListItem, 'formType' | 'series' | 'formNo'>;
// '-' stands for the empty series (the 'E' e-receipt stock has none): an empty path segment would not match.
const formPath = (f: FormKey) =>
  `/api/receipts/forms/${encodeURIComponent(f.formType)}/${encodeURIComponent(f.series || '-')}/${encodeURIComponent(f.formNo)}`;

export const receiptsApi = {
  issueForBatch: (batch: string, formType?: string) =>
    api<BatchReceipt>('POST', `/api/receipts/batches/${encodeURIComponent(batch)}`, formType ? { formType } : {}),
  printFailed: (receiptId: number) => api<Reprint>('POST', `/api/receipts/${receiptId}/print-failed`, {}),
  pdfUrl: (receiptId: number) => `/api/receipts/${receiptId}/pdf`,
  myStock: () => api<CashierStock>('GET', '/api/receipts/stock/me'),
  forms: (filter: FormsFilter) =>
    api<{ forms: FormListItem[]; total: number }>('GET', `/api/receipts/forms${query(filter)}`),
  counts: (groupBy: 'cashier' | 'state') =>
    api<{ items: FormCount[] }>('GET', `/api/receipts/forms/counts${query({ groupBy })}`),
  history: (form: FormKey) => api<FormHistory>('GET', `${formPath(form)}/history`),
  receiveBlock: (range: RangeInput & { note: string }) => api<unknown>('POST', '/api/receipts/blocks', range),
  issue: (range: RangeInput & { cashier: string }) => api<unknown>('POST', '/api/receipts/issue', range),
  returnForms: (range: RangeInput & { cashier: string }) => api<unknown>('POST', '/api/receipts/return', range),
  requestVoid: (form: FormKey, reason: string) =>
    api<unknown>('POST', '/api/receipts/void-requests', { ...form, reason }),
  formTypes: () => api<{ items: FormTypeListItem[] }>('GET', '/api/receipts/form-types'),
  saveLayout: (code: string, layout: ReceiptLayout) =>
    api<unknown>('PUT', `/api/receipts/form-types/${encodeURIComponent(code)}/layout`, layout),
  calibrationUrl: (code: string) => `/api/receipts/form-types/${encodeURIComponent(code)}/calibration.pdf`,
};
