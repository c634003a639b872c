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
