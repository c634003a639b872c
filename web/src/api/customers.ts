import type { Account360, Account360Page, AccountCase, SearchHit } from '../../../contracts/accounts';
import { api } from './http';

export type { Account360, Account360Page, AccountCase, SearchHit };

export const customersApi = {
  search: (q: string) =>
    api<{ items: SearchHit[] }>('GET', `/api/customers/search?q=${encodeURIComponent(q)}&limit=20`),
  get360: (accountNo: string) => api<Account360Page>('GET', `/api/customers/accounts/${encodeURIComponent(accountNo)}`),
  /** 提前恢复: asks the account's waiting suspension process to resume it (202; the process's worker resumes). */
  resume: (accountNo: string) =>
    api<{ accountNo: string; processInstanceKey: string; resumeRequested: true }>(
      'POST',
      `/api/customers/accounts/${encodeURIComponent(accountNo)}/resume`,
      {},
    ),
};

export type AccountProcess =
  'account-opening' | 'account-transfer' | 'certificate-reissue' | 'account-suspension' | 'account-demolition';

export const casesApi = {
  start: (processId: AccountProcess, accountNo?: string) =>
    api<{ processInstanceKey: string }>('POST', '/api/cases', { processId, accountNo }),
};
