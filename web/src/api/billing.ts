import { api } from './http';

/** A bill run as GET /api/billing/runs/:id returns it (domain/billing/runs.ts RunView). */
export interface BillRun {
  id: number;
  period: string;
  status: 'started' | 'computing' | 'reviewing' | 'posting' | 'done' | 'failed';
  processInstanceKey: string | null;
  startedBy: string;
  startedAt: string;
  reviewThresholdFen: number | null;
  done: number;
  total: number | null;
  withoutTariff: number;
  billsForReview: number;
  billsPosted: number;
  rate: number | null;
  etaSeconds: number | null;
  computedAt: string | null;
  finishedAt: string | null;
}

export const billingApi = {
  runs: () => api<{ items: BillRun[] }>('GET', '/api/billing/runs'),
  run: (id: number) => api<BillRun>('GET', `/api/billing/runs/${id}`),
  start: (period: string, reviewThresholdFen?: number) =>
    api<BillRun>('POST', '/api/billing/runs', { period, reviewThresholdFen }),
};
