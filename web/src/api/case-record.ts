import type { CaseRecord, CaseStatistics } from '../../../contracts/case-record';
import { api } from './http';

export type { CaseRecord, CaseRecordStep, CaseStatistics } from '../../../contracts/case-record';

export interface StatisticsQuery {
  from?: string;
  to?: string;
  caseType?: string;
}

const query = (q: StatisticsQuery) => {
  const params = new URLSearchParams(
    Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  ).toString();
  return params ? `?${params}` : '';
};

/** The case record and the case statistics (考核). */
export const caseRecordApi = {
  record: (caseNo: string) => api<CaseRecord>('GET', `/api/business-cases/${encodeURIComponent(caseNo)}/record`),
  /** The printed record, opened by the browser (PDF). */
  pdfUrl: (caseNo: string) => `/api/business-cases/${encodeURIComponent(caseNo)}/record.pdf`,
  statistics: (q: StatisticsQuery) => api<CaseStatistics>('GET', `/api/business-cases/statistics${query(q)}`),
  /** The same statistics as a download. */
  exportUrl: (format: 'csv' | 'xlsx', q: StatisticsQuery) => `/api/business-cases/statistics.${format}${query(q)}`,
};
