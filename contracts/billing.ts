// Bill runs (M2/M3) as /api/billing answers them. Declared by domain/billing/runs.ts, read by the web app.

/** A bill run as GET /api/billing/runs and /api/billing/runs/:id return it. */
export interface RunView {
  id: number;
  period: string;
  status: string;
  processInstanceKey: string | null;
  startedBy: string;
  startedAt: string;
  reviewThresholdFen: number | null;
  done: number;
  total: number | null;
  withoutTariff: number;
  /** Prepaid (IC-card) accounts with readings in the period, not billed: they pay by card purchase. */
  skippedPrepaid: number;
  billsForReview: number;
  billsPosted: number;
  /** Accounts per second since computing began; null before. */
  rate: number | null;
  /** Seconds left at that rate; 0 once computed, null when unknown. */
  etaSeconds: number | null;
  computedAt: string | null;
  finishedAt: string | null;
}

/** A household size change (户口) as POST/GET /api/billing/accounts/:accountNo/household return it. */
export interface HouseholdChangeView {
  id: number;
  accountNo: string;
  /** From this day the size counts: a bill follows the size in force on its period's first day. */
  effectiveFrom: string;
  persons: number;
  /** The size in force the day before effectiveFrom, when the change was recorded. */
  personsBefore: number;
  /** The 户口 document the change rests on. */
  documentRef: string;
  note: string;
  actor: string;
  createdAt: string;
  /** The account's household size now (the change is copied there when it is in force today). */
  householdSize: number;
}
