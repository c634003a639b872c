import type { ConfirmedImport, ImportReport, MeterBook, ReadingView, SheetLine } from '../../../contracts/metering';
import { api } from './http';

/** A meter book as GET /api/metering/books lists it. */
export type Book = MeterBook;
/** A reading as POST /api/metering/readings records it. */
export type Reading = ReadingView;
export type { ConfirmedImport, ImportReport, SheetLine };

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
  confirm: (importId: number) => api<ConfirmedImport>('POST', `/api/metering/imports/${importId}/confirm`, {}),
  /** 确认: a reviewer accepts a reading a rule held, as it stands. */
  confirmReading: (readingId: number) => api<Reading>('POST', `/api/metering/readings/${readingId}/confirm`, {}),
};
