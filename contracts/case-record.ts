import type { CaseType, CaseView } from './cases.js';

/** One step of a case in its record: who, when, how long in working time, against its target. */
export interface CaseRecordStep {
  elementId: string;
  /** The model's name of the step (Chinese, as the diagram says it). */
  name: string;
  elementType: string;
  /** The process the step ran in: the case type's own, or one its call activities started (account-opening …). */
  processDefinitionId: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  startedAt: string;
  endedAt: string | null;
  /** The assignee when it ended (or now), else null. */
  assignee: string | null;
  candidateGroups: string[];
  /** Calendar time from start to end (or to now while active). */
  elapsedMs: number;
  /** Working time (the utility's working calendar) from start to end, or to now. */
  workingMs: number;
  /** The literal duration of the step's escalation timer (ISO 8601), and that duration in working time. */
  target: string | null;
  targetMs: number | null;
  /** Working time beyond the target. */
  overdue: boolean;
  /** Its escalation timer fired while it ran. */
  escalated: boolean;
}

export interface CaseRecordEscalation {
  step: string;
  stepName: string;
  /** Who held the task: its assignee (from the engine when the job did not know), else its candidate group. */
  assignee: string | null;
  candidateGroup: string | null;
  escalatedAt: string;
}

export interface CaseRecordDocument {
  title: string;
  kind: string;
  version: number;
  fileName: string;
  contentType: string;
  size: number;
  step: string | null;
  uploadedBy: string;
  uploadedAt: string;
  /** The engine's document id, for the case page's preview link. */
  documentId: string;
}

export interface CaseRecordFee {
  item: string;
  amountFen: number;
  state: string;
  basis: string;
  assessedAt: string;
}

export interface CaseRecordPayment {
  amountFen: number;
  method: string;
  serial: string;
  cashier: string;
  paidAt: string;
}

/** The case record (GET /api/business-cases/:caseNo/record). */
export interface CaseRecord {
  case: CaseView;
  steps: CaseRecordStep[];
  escalations: CaseRecordEscalation[];
  documents: CaseRecordDocument[];
  fees: CaseRecordFee[];
  payments: CaseRecordPayment[];
  /** Working and calendar time of the case so far (opened → closed, or now). */
  workingMs: number;
  elapsedMs: number;
  timeZone: string;
}

export interface StepStatistics {
  caseType: CaseType;
  elementId: string;
  name: string;
  count: number;
  avgWorkingMs: number | null;
  p90WorkingMs: number | null;
  overdue: number;
}

/** Case statistics (考核), GET /api/business-cases/statistics. Times are working time. */
export interface CaseStatistics {
  from: string | null;
  to: string | null;
  caseType: CaseType | null;
  byTypeAndStatus: Array<{ caseType: CaseType; status: string; count: number }>;
  /** Closed cases: opened → closed. */
  perCase: Array<{ caseType: CaseType; count: number; avgWorkingMs: number | null; p90WorkingMs: number | null }>;
  perStep: StepStatistics[];
  overdueByGroup: Array<{ group: string; overdue: number; steps: number }>;
  overdueByPerson: Array<{ person: string; overdue: number; steps: number }>;
  escalationsByGroup: Array<{ group: string; count: number }>;
  /** Cases opened per month (YYYY-MM in the utility's zone) and type. */
  monthly: Array<{ month: string; caseType: CaseType; opened: number; closed: number }>;
}
