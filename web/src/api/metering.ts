import { api } from './http';

export interface Book {
  code: string;
  name: string;
  reader: string | null;
  cycle: string;
}

export interface Reading {
  id: number;
  accountNo: string;
  meterSerial: string | null;
  period: string;
  reading: string;
  previousReading: string | null;
  consumption: string;
  source: string;
  estimated: boolean;
  status: string;
  failedRule: string | null;
  problem: string | null;
}

export interface SheetLine {
  seq: number;
  accountNo: string;
  accountStatus: string;
  meterSerial: string | null;
  name: string;
  address: string;
  previousReading: string;
  average: string;
  current: {
    id: number;
    reading: string;
    consumption: string;
    status: string;
    failedRule: string | null;
    problem: string | null;
    estimated: boolean;
  } | null;
}

export interface ImportReport {
  importId: number;
  status: 'rejected' | 'previewed' | 'imported';
  fileName: string;
  encoding: string;
  period: string;
  fileProblems: Array<{ problem: string; message: string }>;
  lines: Array<{
    line: number;
    accountNo: string | null;
    meterSerial: string;
    reading: string;
    problem: string | null;
    message: string | null;
    heldBy: string | null;
    readingId?: number;
  }>;
  counts: { lines: number; good: number; bad: number; held: number };
  recorded?: number;
  failed?: number;
}

/** This month as YYYY-MM (local time), the period a new reading closes by default. */
export function thisMonth(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

const enc = encodeURIComponent;

export const meteringApi = {
  books: (mine = false) => api<{ items: Book[] }>('GET', `/api/metering/books${mine ? '?mine=1' : ''}`),
  sheet: (book: string, period: string) =>
    api<{ lines: SheetLine[] }>('GET', `/api/metering/books/${enc(book)}/sheet?period=${enc(period)}`),
  record: (body: { accountNo: string; reading: string; period: string; source?: 'manual' | 'mobile' }) =>
    api<Reading>('POST', '/api/metering/readings', body),
  exportUrl: (book: string, period: string, encoding: string) =>
    `/api/metering/books/${enc(book)}/export?period=${enc(period)}&encoding=${enc(encoding)}`,
  upload: (body: { period: string; bookCode?: string; fileName: string; encoding: string; contentBase64: string }) =>
    api<ImportReport>('POST', '/api/metering/imports', body),
  confirm: (importId: number) => api<ImportReport>('POST', `/api/metering/imports/${importId}/confirm`, {}),
};
