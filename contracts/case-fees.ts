// 业务收费 of a case (new connections) as /api/business-cases/:caseNo/fees answers it. Declared by
// domain/cases/connection, read by the web app's fee panel.

export interface CaseFee {
  item: 'connection_fee' | 'works_fee';
  amountFen: number;
  state: 'due' | 'paid';
  basis: string;
  paymentId: number | null;
}

export interface CaseFeePayment {
  paymentId: number;
  serial: string;
  method: string;
  amountFen: number;
  cashier: string;
  businessDay: string;
  paidAt: string;
}

export interface CaseFees {
  caseNo: string;
  fees: CaseFee[];
  payments: CaseFeePayment[];
  outstandingFen: number;
}

/** What taking a case's fees answers. */
export interface FeePaymentResult {
  caseNo: string;
  paymentId: number;
  amountFen: number;
  changeFen: number;
  businessDay: string;
  /** The same submission came again: nothing was posted this time. */
  replayed: boolean;
}
