// Meter reading (M2) as /api/metering answers it: books, reading sheets, readings and handheld imports.
// Declared by domain/metering (view.ts, book-sheet.ts, handheld-import.ts), read by the web app.

/** A meter book: a reader's round of accounts in route order. */
export interface MeterBook {
  code: string;
  name: string;
  reader: string | null;
  cycle: string;
}

/** A reading as the API and the process variables show it: volumes as decimal strings (m³). */
export interface ReadingView {
  id: number;
  accountNo: string;
  meterSerial: string | null;
  period: string;
  readAt: string;
  reading: string;
  previousReading: string | null;
  consumption: string;
  source: string;
  estimated: boolean;
  status: 'pending' | 'accepted' | 'rejected' | 'superseded';
  failedRule: string | null;
  problem: string | null;
  note: string;
  reader: string | null;
  /** Accepted for a period whose bill run had already computed: the next run bills it (catch-up). */
  billingLate: boolean;
}

/** One line of a book's reading sheet, in route order: what a reader or clerk needs beside the meter. */
export interface SheetLine {
  seq: number;
  accountNo: string;
  accountStatus: string;
  meterSerial: string | null;
  digits: number | null;
  name: string;
  address: string;
  /** The last accepted reading before the period (or the meter's initial reading). */
  previousReading: string;
  /** Average consumption of the last 6 accepted real readings (m³). */
  average: string;
  /** This period's live reading, if any. */
  current: {
    id: number;
    reading: string;
    consumption: string;
    status: string;
    failedRule: string | null;
    problem: string | null;
    estimated: boolean;
    billingLate: boolean;
  } | null;
}

export interface BookSheet {
  book: MeterBook;
  period: string;
  lines: SheetLine[];
}

export type LineProblem =
  | 'missing_meter'
  | 'bad_number'
  | 'bad_time'
  | 'duplicate_meter'
  | 'unknown_meter'
  | 'meter_not_in_service'
  | 'meter_mismatch'
  | 'other_book'
  | 'account_closed'
  | 'already_read';

export interface ImportLine {
  /** Line number in the file (the header is line 1). */
  line: number;
  accountNo: string | null;
  meterSerial: string;
  reading: string;
  readAt: string | null;
  note: string;
  /** The customer's name as the file carries it back (export column `name`), when it has one. */
  name?: string;
  problem: LineProblem | null;
  message: string | null;
  /** A good line whose reading a rule will hold for a clerk (pending), as far as the preview can tell. */
  heldBy: string | null;
  /** After confirmation: the reading recorded from this line. */
  readingId?: number;
}

/** A handheld file's import: its preview, and after confirmation what was recorded. */
export interface ImportReport {
  importId: number;
  status: 'rejected' | 'previewed' | 'imported';
  fileName: string;
  encoding: string;
  period: string;
  bookCode: string | null;
  fileProblems: Array<{ problem: string; message: string }>;
  lines: ImportLine[];
  counts: { lines: number; good: number; bad: number; held: number };
}

/** What confirming an import answers: the report, with how many lines were recorded and how many failed. */
export type ConfirmedImport = ImportReport & { recorded: number; failed: number };

/** Metering settings (one row): the utility's time zone, the correction approval threshold, rollover shares. */
export interface MeteringSettingsView {
  timeZone: string;
  /** m³: a correction moving consumption by more than this waits for a manager. */
  correctionApprovalM3: string;
  /** Share of 10^digits a rollover may consume and still be accepted, by caliber in mm; `default` for the rest. */
  rolloverMaxShare: Record<string, number>;
}

/** Consumption and reading of one reading before or after a correction (m³). */
export interface ReadingValues {
  reading: string;
  consumption: string;
}

/**
 * A correction of an accepted reading (issue #17): applied at once, or waiting for approval when it moves
 * consumption by more than the configured threshold. The next reading of the meter counts from the corrected
 * value, so its consumption follows. `billed`: the reading's period already has a bill (`billId`): a re-bill is due.
 */
export interface ReadingCorrection {
  correctionId: number;
  status: 'applied' | 'needs_approval' | 'approved' | 'rejected';
  readingId: number;
  period: string;
  reason: string;
  /** After − before, signed (m³). */
  volumeDifference: string;
  before: ReadingValues;
  after: ReadingValues;
  next: {
    readingId: number;
    period: string;
    before: { consumption: string };
    after: { consumption: string };
    billed: boolean;
    billId: number | null;
  } | null;
  billed: boolean;
  billId: number | null;
  /** The reading as it stands now (unchanged while the correction waits). */
  reading: ReadingView;
}
