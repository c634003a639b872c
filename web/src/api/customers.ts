import { api } from './http';

export interface SearchHit {
  accountId: number;
  accountNo: string;
  status: string;
  customerName: string;
  address: string;
  meterSerials: string[];
  phones: string[];
}

export const customersApi = {
  search: (q: string) =>
    api<{ items: SearchHit[] }>('GET', `/api/customers/search?q=${encodeURIComponent(q)}&limit=20`),
  // The 360 view's shape belongs to domain/accounts; the page shows what it finds.
  get360: (accountNo: string) =>
    api<Record<string, unknown>>('GET', `/api/customers/accounts/${encodeURIComponent(accountNo)}`),
};

export type AccountProcess =
  'account-opening' | 'account-transfer' | 'certificate-reissue' | 'account-suspension' | 'account-demolition';

export const casesApi = {
  start: (processId: AccountProcess, accountNo?: string) =>
    api<{ processInstanceKey: string }>('POST', '/api/cases', { processId, accountNo }),
};
