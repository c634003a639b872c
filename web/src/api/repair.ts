import { api, ApiError } from './http';

export interface TicketSummary {
  ticketId: number;
  ticketNo: string;
  accountNo: string | null;
  customerName: string | null;
  supplyAddress: string;
  category: string;
  urgency: string;
  status: string;
  accountClosed: boolean;
  crew: string | null;
  createdAt: string;
  dispatchDueAt: string;
  fieldDueAt: string;
  completedAt: string | null;
  processInstanceKey: string | null;
}

export interface AccountContext {
  accountNo: string;
  status: string;
  customerName: string;
  phones: string[];
  supplyAddress: string;
  meters: Array<{ serial: string; kind: string; status: string; caliberMm: number }>;
  history: TicketSummary[];
}

export interface Warning {
  code: string;
  ticketNo: string;
  status: string;
  matchedBy: string;
  message: string;
}

export interface CreatedTicket {
  ticketNo: string;
  accountClosed: boolean;
  warnings: Warning[];
  processInstanceKey: string | null;
}

export interface TicketView extends TicketSummary {
  description: string;
  contactName: string;
  contactPhone: string;
  duplicateOf: string[];
  closeReason: string | null;
  meters: string[];
  workOrders: Array<{
    workOrderId: number;
    crew: string;
    assignedBy: string;
    assignedAt: string;
    instructions: string;
    status: string;
    arrivedAt: string | null;
    completedAt: string | null;
    prints: Array<{ printedBy: string; printedAt: string; reason: string }>;
    photos: Array<{ id: number; fileName: string; contentType: string; sizeBytes: number }>;
  }>;
  results: Array<{
    workOrderId: number;
    arrivedAt: string;
    result: string;
    resolved: boolean;
    recordedBy: string;
    recordedAt: string;
    materials: Array<{ name: string; quantity: string; unit: string }>;
  }>;
  callbacks: Array<{
    attempt: number;
    reached: boolean;
    satisfaction: number | null;
    notes: string;
    calledBy: string;
    calledAt: string;
  }>;
  escalations: Array<{ step: string; escalatedAt: string }>;
}

export interface FieldOrder {
  workOrderId: number;
  status: string;
  arrivedAt: string | null;
  instructions: string;
  ticketNo: string;
  category: string;
  urgency: string;
  supplyAddress: string;
  description: string;
  contactName: string;
  contactPhone: string;
  fieldDueAt: string;
}

export interface Meta {
  categories: string[];
  urgencies: Array<{ urgency: string; dispatchHours: number; fieldHours: number }>;
  crews: Array<{ username: string; displayName: string }>;
  settings: { photoMaxBytes: number };
}

export interface Material {
  name: string;
  quantity: string;
  unit: string;
}

const enc = encodeURIComponent;

export const repairApi = {
  meta: () => api<Meta>('GET', '/api/repair/meta'),
  context: (accountNo: string) => api<AccountContext>('GET', `/api/repair/accounts/${enc(accountNo)}`),
  create: (body: Record<string, unknown>) => api<CreatedTicket>('POST', '/api/repair/tickets', body),
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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  statistics: () => api<any>('GET', '/api/repair/statistics'),

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
