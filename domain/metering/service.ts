import type { Knex } from 'knex';
import { ChangeContextInput, type ChangeContext } from '../audit/audit.js';
import { MeteringError, meteringRefusals, notFound } from './errors.js';
import { bookSheet, type BookSheet } from './book-sheet.js';
import {
  closeWindow,
  cycleProgress,
  finishCycle,
  getCycle,
  openCycle,
  type CycleException,
  type CycleView,
} from './cycles.js';
import { exportBook } from './handheld-export.js';
import { confirmImport, loadImport, previewImport, type ImportReport } from './handheld-import.js';
import { recordReading } from './record.js';
import { resolveException } from './resolve.js';
import { remoteReadingInput } from './remote.js';
import { confirmReading, correctReading, estimateReading } from './review.js';
import { correctAccepted, decideCorrection, type ReadingCorrection } from './correction.js';
import { settingsView, updateSettings, type MeteringSettingsView } from './settings.js';
import { listRules, updateRule, type RuleView } from './rules-admin.js';
import {
  CorrectInput,
  CorrectionInput,
  CycleInput,
  EstimateInput,
  ExportQuery,
  ImportInput,
  ReadingInput,
  RuleUpdateInput,
  SettingsInput,
  accountNo,
  parse,
  period,
} from './schemas.js';
import { inTransaction } from '../transaction.js';
import { readingsQuery, toView, type ReadingView } from './view.js';

export type { ReadingView } from './view.js';
export type { BookSheet, SheetLine } from './book-sheet.js';
export type { RuleView } from './rules-admin.js';
export type { ReadingCorrection } from './correction.js';
export type { ImportReport, ImportLine } from './handheld-import.js';
export type { CycleException, CycleProgress, CycleView } from './cycles.js';
export { MeteringError } from './errors.js';

/**
 * Meter reading (M2). Every channel — hand entry, phone, handheld file, remote frame — records through
 * `record`, one transaction that validates the input (422 naming the field), judges the reading against the
 * configured rules and writes the reading and its audit row together.
 */
export class MeteringService {
  constructor(private readonly knex: Knex) {}

  async record(input: unknown, ctx: ChangeContext): Promise<ReadingView & { duplicate?: boolean }> {
    const v = parse(ReadingInput, input);
    return inTransaction(this.knex, 'recordReading', ctx, meteringRefusals, (trx, c) => recordReading(trx, c, v));
  }

  /** 远程抄表: one CJ/T 188 metering answer in hex (422 naming `frame` when it is broken). */
  async recordRemote(input: { frame?: unknown; period?: unknown }, ctx: ChangeContext) {
    if (typeof input.frame !== 'string' || !input.frame.trim())
      throw new MeteringError(422, 'invalid', 'frame: a CJ/T 188 frame in hex is required', 'frame');
    const period = input.period === undefined ? undefined : String(input.period);
    return this.record(await remoteReadingInput(this.knex, input.frame, period), ctx);
  }

  async confirm(readingId: number, ctx: ChangeContext): Promise<ReadingView> {
    return inTransaction(this.knex, 'confirmReading', ctx, meteringRefusals, (trx, c) =>
      confirmReading(trx, c, readingId),
    );
  }

  async correct(readingId: number, input: unknown, ctx: ChangeContext): Promise<ReadingView> {
    const v = parse(CorrectInput, input);
    return inTransaction(this.knex, 'correctReading', ctx, meteringRefusals, (trx, c) =>
      correctReading(trx, c, readingId, v),
    );
  }

  /**
   * 更正: an accepted reading corrected with a reason; the next reading of the meter follows. Above the
   * configured volume difference it waits for a manager (`needs_approval`) and changes nothing yet.
   */
  async correctAccepted(readingId: number, input: unknown, ctx: ChangeContext): Promise<ReadingCorrection> {
    const v = parse(CorrectionInput, input);
    return inTransaction(this.knex, 'correctAcceptedReading', ctx, meteringRefusals, (trx, c) =>
      correctAccepted(trx, c, readingId, v),
    );
  }

  /** A manager approves (applies) or rejects a correction that waits for approval. */
  async decideCorrection(correctionId: number, approve: boolean, ctx: ChangeContext): Promise<ReadingCorrection> {
    return inTransaction(this.knex, 'decideReadingCorrection', ctx, meteringRefusals, (trx, c) =>
      decideCorrection(trx, c, correctionId, approve),
    );
  }

  async estimate(input: unknown, ctx: ChangeContext): Promise<ReadingView> {
    const v = parse(EstimateInput, input);
    return inTransaction(this.knex, 'estimateReading', ctx, meteringRefusals, (trx, c) => estimateReading(trx, c, v));
  }

  settings(): Promise<MeteringSettingsView> {
    return settingsView(this.knex);
  }

  async updateSettings(input: unknown, ctx: ChangeContext): Promise<MeteringSettingsView> {
    const v = parse(SettingsInput, input);
    return inTransaction(this.knex, 'updateMeteringSettings', ctx, meteringRefusals, (trx, c) =>
      updateSettings(trx, c, v),
    );
  }

  rules(): Promise<RuleView[]> {
    return listRules(this.knex);
  }

  async updateRule(code: string, input: unknown, ctx: ChangeContext): Promise<RuleView> {
    const v = parse(RuleUpdateInput, input);
    return inTransaction(this.knex, 'updateReadingRule', ctx, meteringRefusals, (trx, c) =>
      updateRule(trx, c, code, v),
    );
  }

  async get(readingId: number): Promise<ReadingView> {
    const row = await readingsQuery(this.knex).where('r.id', readingId).first();
    if (!row) throw notFound('reading', String(readingId));
    return toView(row);
  }

  /** An account's readings, newest first (every status: the 360 view shows what was superseded too). */
  async readingsOf(accountNoIn: string, limit = 24): Promise<ReadingView[]> {
    const no = parse(accountNo, accountNoIn, 'accountNo');
    const rows = await readingsQuery(this.knex)
      .where('a.account_no', no)
      .orderBy([
        { column: 'r.period', order: 'desc' },
        { column: 'r.id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toView);
  }

  async sheet(bookCode: string, periodIn: string): Promise<BookSheet> {
    return bookSheet(this.knex, bookCode, parse(period, periodIn, 'period'));
  }

  /** A book as the CSV a handheld device loads (route order, previous reading, average). */
  async exportBook(bookCode: string, query: unknown) {
    const q = parse(ExportQuery, query);
    return exportBook(this.knex, bookCode, q.period, q.encoding);
  }

  /** Handheld results, step 1: upload → report (file problems reject all; line problems line by line). */
  async previewImport(input: unknown, ctx: ChangeContext): Promise<ImportReport> {
    const v = parse(ImportInput, input);
    const c = parse(ChangeContextInput, ctx, 'context');
    return previewImport(this.knex, c, { ...v, bytes: Buffer.from(v.contentBase64, 'base64') });
  }

  /** Step 2: the user confirms; the good lines are recorded. */
  async confirmImport(importId: number, ctx: ChangeContext) {
    return confirmImport(this.knex, parse(ChangeContextInput, ctx, 'context'), importId);
  }

  async getImport(importId: number): Promise<ImportReport> {
    return loadImport(this.knex, importId);
  }

  /** A book's reading cycle for a period with its orders in route order (idempotent by book and period). */
  async openCycle(input: unknown, ctx: ChangeContext): Promise<CycleView> {
    const v = parse(CycleInput, input);
    return inTransaction(this.knex, 'openCycle', ctx, meteringRefusals, (trx, c) => openCycle(trx, c, v));
  }

  async cycleProgress(cycleId: number) {
    return cycleProgress(this.knex, cycleId);
  }

  async getCycle(cycleId: number) {
    return getCycle(this.knex, cycleId);
  }

  /** Book read or deadline passed: open orders → missed; the exceptions for the clerks. */
  async closeWindow(cycleId: number, ctx: ChangeContext): Promise<CycleException[]> {
    return inTransaction(this.knex, 'closeWindow', ctx, meteringRefusals, (trx, c) => closeWindow(trx, c, cycleId));
  }

  async resolveException(period: string, exception: CycleException, decision: unknown, ctx: ChangeContext) {
    return inTransaction(this.knex, 'resolveException', ctx, meteringRefusals, (trx, c) =>
      resolveException(trx, c, period, exception, decision),
    );
  }

  async finishCycle(cycleId: number, ctx: ChangeContext) {
    return inTransaction(this.knex, 'finishCycle', ctx, meteringRefusals, (trx, c) => finishCycle(trx, c, cycleId));
  }
}
