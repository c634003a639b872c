import type {
  CounterAccount,
  CounterDebt,
  DailyClose,
  MethodTotal,
  PaymentMethod,
  PaymentResult,
  PaymentSummary,
  PostedPayment,
} from '../../../contracts/payments';
import { api } from './http';
import { newSubmissionId } from './submission';

export type {
  CounterAccount,
  CounterDebt,
  DailyClose,
  MethodTotal,
  PaymentMethod,
  PaymentResult,
  PaymentSummary,
  PostedPayment,
};

/** The counter's payment methods, in the order of their keys (F2…F6, Alt+1…5). */
export const PAYMENT_METHODS: PaymentMethod[] = ['cash', 'card', 'qr', 'cheque', 'transfer'];

/** One submission at the counter: amounts are yuan as typed ("12.34"); `serial` is kept across its retries. */
export interface PaymentSubmission {
  serial: string;
  method: PaymentMethod;
  items: Array<{ accountNo: string; amount: string }>;
  tendered?: string;
}

/** A fresh submission serial: unique, letters and digits only (the server takes [A-Za-z0-9_.:-]{1,80}). */
export const newSerial = (): string => newSubmissionId();

const account = (accountNo: string) => encodeURIComponent(accountNo);

export const paymentsApi = {
  post: (submission: PaymentSubmission) => api<PaymentResult>('POST', '/api/payments', submission),
  account: (accountNo: string) => api<CounterAccount>('GET', `/api/payments/accounts/${account(accountNo)}`),
  reverse: (paymentId: number, reason: string) =>
    api<unknown>('POST', `/api/payments/${paymentId}/reversal`, { reason }),
  requestReversal: (paymentId: number, reason: string) =>
    api<unknown>('POST', `/api/payments/${paymentId}/reversal-requests`, { reason }),
  requestRefund: (accountNo: string, amount: string, reason: string) =>
    api<unknown>('POST', '/api/payments/refunds', { accountNo, amount, reason }),
  day: () => api<DailyClose>('GET', '/api/payments/day'),
  closeDay: () => api<DailyClose>('POST', '/api/payments/day/close'),
  /** Without a day: the utility's business day today, which the answer names. */
  closes: (day?: string) =>
    api<{ day: string; items: DailyClose[] }>(
      'GET',
      day ? `/api/payments/closes?day=${encodeURIComponent(day)}` : '/api/payments/closes',
    ),
};
