// Business-development cases (M7) as /api/business-cases answers them. Declared by domain/cases, read by the
// web app. Labels of types, statuses and stages live in the locale files (web/src/locales), one language each.

/** Every case type is a process of processes/cases with the same id. */
export const CASE_TYPES = [
  'new-connection',
  'relocation',
  'water-shutoff-approval',
  'water-use-inspection',
  'transfer-case',
  'suspension-case',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_STATUSES = ['open', 'completed', 'rejected', 'cancelled'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A case in lists: the front desk's customer page, the case list, statistics drill-downs. */
export interface CaseSummary {
  caseNo: string;
  caseType: CaseType;
  status: CaseStatus;
  applicantName: string;
  address: string;
  accountNo: string | null;
  customerId: number | null;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  outcome: string;
  processInstanceKey: string | null;
}

/** One case as the front desk sees it (personal data masked by the server for roles that do not need it). */
export interface CaseView extends CaseSummary {
  applicantPhone: string;
  bookCode: string | null;
  premise: { district: string; street: string; community: string; building: string; unit: string; room: string };
  details: Record<string, unknown>;
  publicToken: string;
}

/** What opening a case answers: the case and its application receipt's link for the QR code. */
export interface OpenedCase {
  caseNo: string;
  caseType: CaseType;
  publicToken: string;
  bookCode: string | null;
  accountNo: string | null;
}
