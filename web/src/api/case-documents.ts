import type { CaseDocument, CaseDocumentKind } from '../../../contracts/case-documents';
import { api, ApiError } from './http';

export type { CaseDocument, CaseDocumentKind, CaseDocumentVersion } from '../../../contracts/case-documents';
export { CASE_DOCUMENT_KINDS } from '../../../contracts/case-documents';

const base = (caseNo: string) => `/api/business-cases/${encodeURIComponent(caseNo)}/documents`;

export interface DocumentUpload {
  file: File;
  /** a new document of this kind … */
  kind?: CaseDocumentKind;
  title?: string;
  /** … or a new version of this one */
  documentId?: number;
  step?: string;
}

/** A case's documents: list, upload (multipart), and the URLs the browser previews or downloads. */
export const caseDocumentsApi = {
  list: async (caseNo: string) => (await api<{ items: CaseDocument[] }>('GET', base(caseNo))).items,

  /** Multipart upload (api() speaks JSON only); a refusal names the field (`file`, `kind`) in the problem. */
  async upload(caseNo: string, u: DocumentUpload): Promise<CaseDocument> {
    const form = new FormData();
    if (u.kind) form.append('kind', u.kind);
    if (u.title) form.append('title', u.title);
    if (u.documentId !== undefined) form.append('documentId', String(u.documentId));
    if (u.step) form.append('step', u.step);
    form.append('file', u.file, u.file.name);
    const res = await fetch(base(caseNo), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-Aquaflow-Request': '1' },
      body: form,
    });
    const data = await res.json().catch(() => undefined);
    if (!res.ok) throw new ApiError(data ?? { type: 'about:blank', title: res.statusText, status: res.status });
    return data as CaseDocument;
  },

  /** Opened by the browser: images and PDF inline, anything else (or with `download`) as a download. */
  url: (caseNo: string, versionId: number, download = false) =>
    `${base(caseNo)}/versions/${versionId}${download ? '?download' : ''}`,
};
