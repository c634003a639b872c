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

/**
 * The stages a customer and the front desk see (the public status page shows only this). Each case model tags its
 * elements with the extension property `stage` (`<zeebe:properties><zeebe:property name="stage" value="survey"/>`),
 * so the diagram a manager edits carries its own stages; a case stands at the stage of its active elements.
 */
export const CASE_STAGES = [
  'intake',
  'survey',
  'design',
  'approval',
  'fees',
  'construction',
  'contract',
  'connection',
  'inspection',
  'notice',
  'works',
  'restoration',
  'account-change',
  'done',
  'rejected',
  'cancelled',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

/** What the front desk takes for a new connection beyond applicant, phone and premises (`details`). */
export interface NewConnectionDetails {
  customerKind?: 'person' | 'organisation';
  idDocType?: 'resident_id' | 'passport' | 'business_licence' | 'other';
  idDocNumber?: string;
  /** customer class of the account to be opened */
  useClass: 'residential' | 'non_residential' | 'special';
  /** requested meter size (mm) */
  caliberMm: number;
  householdSize?: number;
  note?: string;
}

/** 停水: planned or emergency, the window, and the area by meter books and/or streets. */
export interface ShutoffDetails {
  kind: 'planned' | 'emergency';
  startAt: string;
  endAt: string;
  reason: string;
  bookCodes?: string[];
  streets?: Array<{ district: string; street: string }>;
}
