import type {
  AccountContext,
  DuplicateWarning,
  FieldOrder,
  LoggedCall,
  Material,
  RepairStatistics,
  TicketSummary,
  TicketView,
} from '../../../contracts/repair';
import { api, ApiError } from './http';

export type { AccountContext, DuplicateWarning, FieldOrder, Material, RepairStatistics, TicketSummary, TicketView };
/** What logging a call answers (POST /api/repair/tickets). */
export type CreatedTicket = LoggedCall;

export interface Meta {
  categories: string[];
  urgencies: Array<{ urgency: string; dispatchHours: number; fieldHours: number }>;
  crews: Array<{ username: string; displayName: string }>;
  settings: { photoMaxBytes: number };
}

const enc = encodeURIComponent;

export const repairApi = {
  meta: () => api<Meta>('GET', '/api/repair/meta'),
  context: (accountNo: string) => api<AccountContext>('GET', `/api/repair/accounts/${enc(accountNo)}`),
  create: (body: Record<string, unknown>) => api<CreatedTicket>('POST', '/api/repair/tickets', body),
  /** Open tickets a new call about the account would duplicate (asked before creating). */
  duplicates: (accountNo: string) =>
    api<{ items: DuplicateWarning[] }>('GET', `/api/repair/duplicates?accountNo=${enc(accountNo)}`),
  list: (q: { status?: string; category?: string }) => {
    const params = new URLSearchParams({ limit: '200' });
    if (q.status) params.set('status', q.status);
    if (q.category) params.set('category', q.category);
    return api<{ items: TicketSummary[] }>('GET', `/api/repair/tickets?${params}`);
  },
  ticket: (ref: string) => api<TicketView>('GET', `/api/repair/tickets/${enc(ref)}`),
  workOrderPdfUrl: (ticketNo: string, workOrderId?: number) =>
    `/api/repair/tickets/${enc(ticketNo)}/work-order.pdf${workOrderId ? `?workOrder=${workOrderId}` : ''}`,
  photoUrl: (id: number) => `/api/repair/photos/${id}`,
  dispatch: (ticketNo: string, body: { crew: string; instructions: string }) =>
    api<{ ticketNo: string }>('POST', `/api/repair/tickets/${enc(ticketNo)}/dispatch`, body),
  mine: () => api<{ items: FieldOrder[] }>('GET', '/api/repair/work-orders/mine'),
  arrive: (id: number) => api<{ arrivedAt: string }>('POST', `/api/repair/work-orders/${id}/arrival`, {}),
  complete: (id: number, body: { result: string; resolved: boolean; materials: Material[] }) =>
    api<{ changed: boolean; taskCompleted: boolean }>('POST', `/api/repair/work-orders/${id}/complete`, body),
  statistics: () => api<RepairStatistics>('GET', '/api/repair/statistics'),

  /** Multipart upload (api() speaks JSON only); a refusal names the photo in `field`. */
  async uploadPhotos(id: number, files: File[]): Promise<Array<{ id: number; fileName: string }>> {
    const form = new FormData();
    for (const f of files) form.append('photos', f, f.name);
    const res = await fetch(`/api/repair/work-orders/${id}/photos`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-Aquaflow-Request': '1' },
      body: form,
    });
    const data = await res.json().catch(() => undefined);
    if (!res.ok) throw new ApiError(data ?? { type: 'about:blank', title: res.statusText, status: res.status });
    return data.items;
  },
};
