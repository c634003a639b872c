import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import type { Knex } from 'knex';
import type { ImportLine, ImportReport, LineProblem } from '../../contracts/metering.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { MeteringError, conflict, notFound } from './errors.js';
import { gatherFacts } from './facts.js';
import { decodeFile, mapHeader, REQUIRED_COLUMNS, type Encoding, type ImportColumn } from './handheld-format.js';
import { recordReading } from './record.js';
import { judge, loadRules } from './rules.js';
import { toLitres } from './volume.js';

export type { ImportLine, ImportReport, LineProblem };

/**
 * The most reading lines (header excluded) one handheld file may carry. A book is a few hundred meters and a
 * device holds a few books; a bigger file is a mistake or an abuse, and every line costs a check and stays in the
 * batch's report. Split a bigger file by meter book.
 */
export const MAX_IMPORT_LINES = 20_000;

const VOLUME = /^\d{1,9}(\.\d{1,3})?$/;
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2}))?)?$/;

/** Device clocks have no zone: their local time is China Standard Time. */
function readAtOf(text: string): string | null | 'bad' {
  if (!text) return null;
  const m = LOCAL_TIME.exec(text);
  if (!m) return 'bad';
  const iso = `${m[1]}T${m[2] ?? '00:00'}:${m[3] ?? '00'}+08:00`;
  return Number.isNaN(Date.parse(iso)) ? 'bad' : iso;
}

type Cells = Partial<Record<ImportColumn, string>>;

function fileLevel(text: string): { rows: Cells[]; problems: ImportReport['fileProblems'] } {
  let records: string[][];
  try {
    records = parseCsv(text, { bom: true, trim: true, skip_empty_lines: true, relax_quotes: false });
  } catch (err) {
    if (err instanceof CsvError) return { rows: [], problems: [{ problem: 'csv', message: err.message }] };
    throw err;
  }
  if (records.length === 0) return { rows: [], problems: [{ problem: 'empty', message: 'the file has no lines' }] };
  const { columns, unknown } = mapHeader(records[0]);
  const problems: ImportReport['fileProblems'] = [];
  if (unknown.length) problems.push({ problem: 'columns', message: `unknown columns: ${unknown.join(', ')}` });
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) problems.push({ problem: 'columns', message: `missing columns: ${missing.join(', ')}` });
  const rows = records.slice(1).map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? ''])) as Cells);
  return { rows, problems };
}

interface MeterInfo {
  serial: string;
  meter_status: string;
  account_no: string | null;
  account_status: string | null;
  book_code: string | null;
  account_id: string | null;
}

async function metersBySerial(
  db: Knex | Knex.Transaction,
  serials: string[],
): Promise<Map<string, MeterInfo & { id: string; digits: number; initial_reading: string; caliber_mm: number }>> {
  const rows = await db('cis.meters as m')
    .leftJoin('cis.accounts as a', 'a.id', 'm.account_id')
    .leftJoin('cis.meter_books as b', 'b.id', 'a.book_id')
    .whereIn('m.serial', serials)
    .select(
      'm.id',
      'm.serial',
      'm.digits',
      'm.initial_reading',
      'm.caliber_mm',
      'm.status as meter_status',
      'a.id as account_id',
      'a.account_no',
      'a.status as account_status',
      'b.code as book_code',
    );
  return new Map(rows.map((r) => [r.serial, r]));
}

/** Line-level checks and, for good lines, what the rules would say (without writing anything). */
async function checkLines(db: Knex, rows: Cells[], period: string, bookCode: string | null): Promise<ImportLine[]> {
  const meters = await metersBySerial(db, rows.map((r) => (r.meter_serial ?? '').toUpperCase()).filter(Boolean));
  const rules = await loadRules(db);
  const seen = new Map<string, number>();
  const lines: ImportLine[] = [];
  for (const [i, r] of rows.entries()) {
    const serial = (r.meter_serial ?? '').toUpperCase();
    const reading = (r.reading ?? '').normalize('NFKC');
    const readAt = readAtOf(r.read_at ?? '');
    const line: ImportLine = {
      line: i + 2,
      accountNo: r.account_no ? r.account_no.toUpperCase() : null,
      meterSerial: serial,
      reading,
      readAt: readAt === 'bad' ? null : readAt,
      note: r.note ?? '',
      ...(r.name === undefined ? {} : { name: r.name }),
      problem: null,
      message: null,
      heldBy: null,
    };
    const m = meters.get(serial);
    const bad = (problem: LineProblem, message: string) => Object.assign(line, { problem, message });
    if (!serial) bad('missing_meter', 'no meter serial');
    else if (seen.has(serial)) bad('duplicate_meter', `meter ${serial} is already on line ${seen.get(serial)}`);
    else if (!VOLUME.test(reading))
      bad('bad_number', `reading "${reading}" is not a volume in m³ (at most 3 decimals)`);
    else if (readAt === 'bad') bad('bad_time', `read_at "${r.read_at}" is not YYYY-MM-DD[ HH:mm[:ss]]`);
    else if (!m) bad('unknown_meter', `meter ${serial} does not exist`);
    else if (m.account_status === 'closed' || (m.meter_status === 'removed' && m.account_no === null))
      bad(
        m.account_status === 'closed' ? 'account_closed' : 'meter_not_in_service',
        `meter ${serial} is not in service (account closed or meter removed)`,
      );
    else if (m.meter_status !== 'in_service' || !m.account_id)
      bad('meter_not_in_service', `meter ${serial} is not in service`);
    else if (line.accountNo && line.accountNo !== m.account_no)
      bad('meter_mismatch', `meter ${serial} belongs to account ${m.account_no}, not ${line.accountNo}`);
    else if (bookCode && m.book_code !== bookCode)
      bad('other_book', `account ${m.account_no} is in book ${m.book_code}`);
    if (serial && !seen.has(serial)) seen.set(serial, line.line);
    if (!line.problem && m) {
      const accepted = await db('cis.readings').where({ meter_id: m.id, period, status: 'accepted' }).first('id');
      if (accepted) bad('already_read', `meter ${serial} already has an accepted reading for ${period.slice(0, 7)}`);
      else {
        const facts = await gatherFacts(db, m.account_id!, m, toLitres(reading), period);
        line.heldBy = judge(facts, rules).failedRule;
      }
    }
    lines.push(line);
  }
  return lines;
}

function report(row: Record<string, unknown>, bookCode: string | null): ImportReport {
  const lines = row.lines as ImportLine[];
  const good = lines.filter((l) => !l.problem);
  return {
    importId: Number(row.id),
    status: row.status as ImportReport['status'],
    fileName: row.file_name as string,
    encoding: row.encoding as string,
    period: typeof row.period === 'string' ? row.period : (row.periodText as string),
    bookCode,
    fileProblems: row.file_problems as ImportReport['fileProblems'],
    lines,
    counts: {
      lines: lines.length,
      good: good.length,
      bad: lines.length - good.length,
      held: good.filter((l) => l.heldBy).length,
    },
  };
}

function tooManyLines(lines: number): MeteringError {
  const n = (x: number) => x.toLocaleString('en-US');
  return new MeteringError(
    422,
    'too_many_lines',
    `contentBase64: the file has ${n(lines)} reading lines; one import takes at most ${n(MAX_IMPORT_LINES)} (split the file, e.g. by meter book)`,
    'contentBase64',
  );
}

/**
 * Step 1: the uploaded file is decoded, parsed and checked, and kept as a batch with its report. File-level
 * problems (encoding, CSV structure, columns) reject the whole file; line-level problems are reported line by line.
 * Nothing is recorded until `confirmImport`. A file of more than MAX_IMPORT_LINES lines is refused outright
 * (422 `too_many_lines`) and leaves no trace.
 */
export async function previewImport(
  knex: Knex,
  ctx: ChangeContext,
  input: { bytes: Buffer; encoding: Encoding; fileName: string; period: string; bookCode?: string },
): Promise<ImportReport> {
  let bookId: string | null = null;
  if (input.bookCode) {
    const book = await knex('cis.meter_books').where({ code: input.bookCode }).first('id');
    if (!book)
      throw new MeteringError(422, 'invalid', `bookCode: meter book ${input.bookCode} does not exist`, 'bookCode');
    bookId = book.id;
  }
  const decoded = decodeFile(input.bytes, input.encoding);
  let fileProblems: ImportReport['fileProblems'] = [];
  let lines: ImportLine[] = [];
  let encoding = input.encoding === 'auto' ? 'unknown' : input.encoding;
  if ('problem' in decoded) fileProblems = [{ problem: 'encoding', message: decoded.problem }];
  else {
    encoding = decoded.encoding;
    const parsed = fileLevel(decoded.text);
    if (parsed.rows.length > MAX_IMPORT_LINES) throw tooManyLines(parsed.rows.length); // before anything is written
    fileProblems = parsed.problems;
    if (!fileProblems.length) lines = await checkLines(knex, parsed.rows, input.period, input.bookCode ?? null);
  }
  return knex.transaction(async (trx) => {
    const [row] = await trx('cis.reading_imports')
      .insert({
        book_id: bookId,
        period: input.period,
        file_name: input.fileName,
        encoding,
        status: fileProblems.length ? 'rejected' : 'previewed',
        file_problems: JSON.stringify(fileProblems),
        lines: JSON.stringify(lines),
        created_by: ctx.actor,
      })
      .returning(['id', 'status', 'file_name', 'encoding', 'file_problems', 'lines']);
    await writeAudit(trx, ctx, [
      {
        action: 'import_previewed',
        entity: 'reading_import',
        entityId: row.id,
        after: { fileName: input.fileName, encoding, status: row.status, lines: lines.length, fileProblems },
      },
    ]);
    return report({ ...row, periodText: input.period }, input.bookCode ?? null);
  });
}

export async function loadImport(db: Knex | Knex.Transaction, id: number, forUpdate = false): Promise<ImportReport> {
  const q = db('cis.reading_imports as i')
    .leftJoin('cis.meter_books as b', 'b.id', 'i.book_id')
    .where('i.id', id)
    .first('i.*', 'b.code as book_code', db.raw(`to_char(i.period, 'YYYY-MM-DD') AS "periodText"`));
  const row = await (forUpdate ? q.forUpdate('i') : q);
  if (!row) throw notFound('import', String(id));
  return report({ ...row, period: row.periodText }, row.book_code ?? null);
}

/**
 * Step 2: the user confirms; every good line is recorded (source 'handheld') in one transaction, each line in
 * its own savepoint so that a line made stale since the preview (read meanwhile, say) is reported, not fatal.
 */
export async function confirmImport(
  knex: Knex,
  ctx: ChangeContext,
  id: number,
): Promise<ImportReport & { recorded: number; failed: number }> {
  return knex.transaction(async (trx) => {
    const batch = await loadImport(trx, id, true);
    if (batch.status !== 'previewed')
      throw conflict(
        batch.status === 'imported' ? 'already_imported' : 'rejected_file',
        `import ${id} is ${batch.status}`,
        'importId',
      );
    let recorded = 0;
    let failed = 0;
    for (const line of batch.lines) {
      if (line.problem) continue;
      try {
        const r = await trx.transaction((sp) =>
          recordReading(
            sp,
            ctx,
            {
              meterSerial: line.meterSerial,
              reading: line.reading,
              period: batch.period,
              readAt: line.readAt ?? undefined,
              source: 'handheld',
              note: line.note,
              externalRef: `import:${id}:${line.line}`,
            },
            { importId: id },
          ),
        );
        line.readingId = r.id;
        line.heldBy = r.failedRule;
        recorded++;
      } catch (err) {
        if (!(err instanceof MeteringError)) throw err;
        Object.assign(line, { problem: err.code, message: err.message });
        failed++;
      }
    }
    await trx('cis.reading_imports')
      .where({ id })
      .update({
        status: 'imported',
        lines: JSON.stringify(batch.lines),
        confirmed_by: ctx.actor,
        confirmed_at: trx.fn.now(),
      });
    await writeAudit(trx, ctx, [
      {
        action: 'import_confirmed',
        entity: 'reading_import',
        entityId: id,
        before: { status: 'previewed' },
        after: { status: 'imported', recorded, failed },
      },
    ]);
    return { ...(await loadImport(trx, id)), recorded, failed };
  });
}
