// A case's documents (M7) as /api/business-cases/:caseNo/documents answers them. Declared by domain/cases/documents,
// read by the web app. Labels of kinds live in the locale files (web/src/locales/cases-documents).

/** What a case's file is: drawings, budget lists (预算), material requisitions (领料), photos, contracts, scanned IDs. */
export const CASE_DOCUMENT_KINDS = [
  'drawing',
  'budget',
  'requisition',
  'photo',
  'contract',
  'id_scan',
  'other',
] as const;
export type CaseDocumentKind = (typeof CASE_DOCUMENT_KINDS)[number];

/** One upload of a document: versions are never replaced, a re-upload is the next version. */
export interface CaseDocumentVersion {
  /** This version's id in Aquaflow (the download URL's `:versionId`). */
  versionId: number;
  version: number;
  fileName: string;
  /** The type read from the content (magic bytes), never the browser's claim. */
  contentType: string;
  size: number;
  /** The model element (task) the upload came from, when it came from one. */
  step: string | null;
  uploadedBy: string;
  uploadedAt: string;
  /** Whether the browser can show it (images, PDF). */
  previewable: boolean;
}

/** A logical document of a case with every version, newest first. */
export interface CaseDocument {
  documentId: number;
  kind: CaseDocumentKind;
  title: string;
  latest: CaseDocumentVersion;
  versions: CaseDocumentVersion[];
}
