// Payments (M3) as /api/payments answers them. Declared by domain/payments, read by the web app and receipts.

export type PaymentChannel = 'counter' | 'bank_collection' | 'bank_online' | 'mobile' | 'card_topup';
export type PaymentMethod = 'cash' | 'card' | 'qr' | 'cheque' | 'transfer';

/** One debt (or part of it) a payment settled. */
export interface SettledItem {
  entryId: number;
  kind: string;
  billId: number | null;
  period: string | null;
  amountFen: number;
}

export interface PostedPayment {
  paymentId: number;
  accountNo: string;
  amountFen: number;
  settled: SettledItem[];
  /** What the payment left as prepaid credit on the account (预存). */
  creditAfterFen: number;
  arrearsAfterFen: number;
  /** The account had arrears before and has none now: the account processes waiting for it may continue. */
  arrearsCleared: boolean;
  /** A process waited for these arrears to be settled (transfer, demolition): the server tells it `arrears-settled`. */
  settlementAwaited: boolean;
}

/** POST /api/payments: one submission (one serial), one or more accounts of a customer. */
export interface PaymentResult {
  batch: string;
  channel: PaymentChannel;
  method: PaymentMethod;
  cashier: string;
  businessDay: string;
  paidAt: string;
  totalFen: number;
  tenderedFen: number | null;
  changeFen: number;
  /** The serial had been posted before: this is the first result, nothing was posted again. */
  replayed: boolean;
  payments: PostedPayment[];
}

/** An open debt as the counter shows it, bills with their tier lines. */
export interface CounterDebt {
  entryId: number;
  kind: string;
  billId: number | null;
  period: string | null;
  dueDate: string | null;
  amountFen: number;
  openFen: number;
  volume: string | null;
  lines: Array<{ component: string; tier: number; volume: string; priceFen: number; amountFen: number }>;
}

export interface PaymentSummary {
  paymentId: number;
  batch: string;
  channel: PaymentChannel;
  method: PaymentMethod;
  amountFen: number;
  cashier: string;
  paidAt: string;
  businessDay: string;
  reversed: boolean;
}

/** GET /api/payments/accounts/:accountNo: what the cashier sees for one account. */
export interface CounterAccount {
  accountNo: string;
  status: string;
  customerName: string;
  address: string;
  balanceFen: number;
  creditFen: number;
  arrearsFen: number;
  debts: CounterDebt[];
  payments: PaymentSummary[];
  /** The customer's other open accounts, for paying several in one go. */
  siblings: Array<{ accountNo: string; address: string; arrearsFen: number }>;
}

export interface MethodTotal {
  method: PaymentMethod;
  count: number;
  amountFen: number;
  reversedCount: number;
  reversedFen: number;
}

/** A cashier's day (日结): what was taken, on which forms, and the cash to hand over. */
export interface DailyClose {
  sessionId: number;
  cashier: string;
  businessDay: string;
  openedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  byMethod: MethodTotal[];
  totalFen: number;
  cashToHandOverFen: number;
  forms: {
    ranges: Array<{ formType: string; series: string; from: string; to: string; count: number }>;
    used: number;
    voided: number;
    printFailed: number;
  };
}
