import type { HouseholdChangeView, RunView } from '../../../contracts/billing';
import type { BillView, RebillPreview, RebilledBill } from '../../../contracts/bills';

export type { BillView, HouseholdChangeView, RebillPreview, RebilledBill };
import { api } from './http';

/** A bill run as GET /api/billing/runs/:id returns it. */
export type BillRun = RunView;

export const billingApi = {
  runs: () => api<{ items: BillRun[] }>('GET', '/api/billing/runs'),
  run: (id: number) => api<BillRun>('GET', `/api/billing/runs/${id}`),
  start: (period: string, reviewThresholdFen?: number) =>
    api<BillRun>('POST', '/api/billing/runs', { period, reviewThresholdFen }),
  householdChanges: (accountNo: string) =>
    api<{ items: HouseholdChangeView[] }>('GET', `/api/billing/accounts/${encodeURIComponent(accountNo)}/household`),
  /** A dated change of the household size (户口), on the document it rests on. */
  recordHousehold: (accountNo: string, change: { effectiveFrom: string; persons: number; documentRef: string }) =>
    api<HouseholdChangeView>('POST', `/api/billing/accounts/${encodeURIComponent(accountNo)}/household`, change),
  accountBills: (accountNo: string) =>
    api<{ items: BillView[] }>('GET', `/api/billing/accounts/${encodeURIComponent(accountNo)}/bills`),
  /** What a re-bill would change (the bill and the later bills of its tier year); nothing is written. */
  previewRebill: (billId: number, reason: string) =>
    api<RebillPreview>('POST', `/api/billing/bills/${billId}/rebill/preview`, { reason }),
  /** Posts the re-bill the clerk saw: refused (409 preview_stale) if anything changed since the preview. */
  rebill: (billId: number, reason: string, previewHash: string) =>
    api<BillView & { rebilled: RebilledBill[]; totalDifferenceFen: number }>(
      'POST',
      `/api/billing/bills/${billId}/rebill`,
      { reason, previewHash },
    ),
};
