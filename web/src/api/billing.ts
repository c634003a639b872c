import type { RunView } from '../../../contracts/billing';
import { api } from './http';

/** A bill run as GET /api/billing/runs/:id returns it. */
export type BillRun = RunView;

export const billingApi = {
  runs: () => api<{ items: BillRun[] }>('GET', '/api/billing/runs'),
  run: (id: number) => api<BillRun>('GET', `/api/billing/runs/${id}`),
  start: (period: string, reviewThresholdFen?: number) =>
    api<BillRun>('POST', '/api/billing/runs', { period, reviewThresholdFen }),
};
