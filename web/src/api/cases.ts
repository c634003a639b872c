import type { CaseStage, CaseStatus, CaseSummary, CaseType, CaseView, OpenedCase } from '../../../contracts/cases';
import type { CaseFee, CaseFees, FeePaymentResult } from '../../../contracts/case-fees';
import { api } from './http';

export type { CaseFee, CaseFees, FeePaymentResult };
export type { CaseStage, CaseStatus, CaseSummary, CaseType, CaseView, OpenedCase };

/** The case types the front desk offers, in its menu's order (contracts/cases.ts CASE_TYPES). */
export const CASE_TYPES: CaseType[] = [
  'new-connection',
  'relocation',
  'transfer-case',
  'suspension-case',
  'water-shutoff-approval',
  'water-use-inspection',
];
export const CASE_STATUSES: CaseStatus[] = ['open', 'completed', 'rejected', 'cancelled'];

/** A case in the desk's lists, with where it stands (GET /api/case-desk/cases). */
export interface DeskCase extends CaseSummary {
  stage: CaseStage;
  activeStages: CaseStage[];
}

export interface OpenTask {
  userTaskKey: string;
  name: string;
  elementId: string;
  candidateGroups: string[];
  assignee: string | null;
  creationDate: string;
  dueDate: string | null;
}

/** One case as the case page shows it (GET /api/case-desk/cases/:caseNo); personal data masked by role. */
export interface DeskCaseView extends CaseView {
  stage: CaseStage;
  activeStages: CaseStage[];
  stages: Array<{ stage: CaseStage; done: boolean }>;
  openTasks: OpenTask[];
  statusUrl: string;
}

/** The public status page's answer (no sign-in): the stage only. */
export interface PublicCaseStatus {
  caseNo: string;
  caseType: CaseType;
  stage: CaseStage;
  status: CaseStatus;
  createdAt: string;
  closedAt: string | null;
  stages: Array<{ stage: CaseStage; done: boolean }>;
}

/** What the front desk sends to open a case (POST /api/business-cases). */
export interface OpenCaseBody {
  caseType: CaseType;
  accountNo?: string;
  customerId?: number;
  premise?: { district: string; street: string; community: string; building: string; unit: string; room: string };
  applicantName?: string;
  applicantPhone?: string;
  details: Record<string, unknown>;
}

const enc = encodeURIComponent;

export const casesApi = {
  open: (body: OpenCaseBody) =>
    api<OpenedCase & { processInstanceKey: string | null }>('POST', '/api/business-cases', body),
  list: (q: { caseType?: string; status?: string; customerId?: number; accountNo?: string; limit?: number }) => {
    const params = new URLSearchParams({ limit: String(q.limit ?? 200) });
    for (const k of ['caseType', 'status', 'accountNo'] as const) if (q[k]) params.set(k, String(q[k]));
    if (q.customerId) params.set('customerId', String(q.customerId));
    return api<{ items: DeskCase[] }>('GET', `/api/case-desk/cases?${params}`);
  },
  view: (caseNo: string) => api<DeskCaseView>('GET', `/api/case-desk/cases/${enc(caseNo)}`),
  receiptUrl: (caseNo: string) => `/api/business-cases/${enc(caseNo)}/receipt.pdf`,
  /** 撤回: the applicant withdraws (where the model waits for it: a new connection's fee). */
  withdraw: (caseNo: string, reason: string) =>
    api<{ caseNo: string; withdrawn: boolean }>('POST', `/api/business-cases/${enc(caseNo)}/withdraw`, { reason }),
  publicStatus: (token: string) => api<PublicCaseStatus>('GET', `/api/public/cases/${enc(token)}`),
  fees: (caseNo: string) => api<CaseFees>('GET', `/api/business-cases/${enc(caseNo)}/fees`),
  payFees: (caseNo: string, body: { serial: string; method: string; amountYuan: string; tenderedYuan?: string }) =>
    api<FeePaymentResult>('POST', `/api/business-cases/${enc(caseNo)}/fees/payments`, body),
};
