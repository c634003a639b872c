import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { inTransaction } from '../../transaction.js';
import { CasesError, casesRefusals } from '../errors.js';
import { findCase } from '../records.js';
import { PLANNED_NOTICE_HOURS, ShutoffAreaInput, parse } from './schemas.js';

export interface ShutoffArea {
  kind: 'planned' | 'emergency';
  startAt: string;
  endAt: string;
  reason: string;
  bookCodes: string[];
  streets: Array<{ district: string; street: string }>;
  affectedCount: number;
}

/**
 * The area as given, checked against the network: the window in order, a planned start at least
 * PLANNED_NOTICE_HOURS after `now` (the step passes the engine's clock), every book code and street known.
 * Read-only, so the intake can refuse a bad shut-off (422 naming the field) before a case exists, as this step does.
 */
export async function checkedArea(
  db: Knex | Knex.Transaction,
  input: unknown,
  now: Date = new Date(),
): Promise<{ area: Omit<ShutoffArea, 'affectedCount'>; bookIds: string[] }> {
  const v = parse(ShutoffAreaInput, input);
  if (v.kind === 'planned' && Date.parse(v.startAt) - now.getTime() < PLANNED_NOTICE_HOURS * 3600_000)
    throw new CasesError(
      422,
      'notice_too_short',
      `startAt: a planned shut-off is announced at least ${PLANNED_NOTICE_HOURS} hours ahead`,
      'startAt',
    );
  const bookCodes = [...new Set(v.bookCodes.map((c) => c.toUpperCase()))];
  const books = await db('cis.meter_books').whereIn('code', bookCodes).select('id', 'code');
  const unknownBook = bookCodes.find((code) => !books.some((b) => b.code === code));
  if (unknownBook)
    throw new CasesError(422, 'unknown_book', `bookCodes: meter book ${unknownBook} does not exist`, 'bookCodes');
  for (const s of v.streets) {
    const known =
      (await db('cis.meter_book_areas').where(s).first('book_id')) ?? (await db('cis.premises').where(s).first('id'));
    if (!known)
      throw new CasesError(422, 'unknown_street', `streets: ${s.district}${s.street} is not on the network`, 'streets');
  }
  return {
    area: { kind: v.kind, startAt: v.startAt, endAt: v.endAt, reason: v.reason, bookCodes, streets: v.streets },
    bookIds: books.map((b) => String(b.id)),
  };
}

/**
 * 停水区域: the accounts (not closed) whose meter book is named, or whose premises lie on a named street, kept for
 * the case (recomputed when the area is corrected). A book code or street the network does not know is refused,
 * naming it: a typo must not silently leave customers without a notice.
 */
export async function selectAffected(
  knex: Knex,
  caseNo: string,
  input: unknown,
  ctxIn: ChangeContext,
  now: Date = new Date(),
): Promise<ShutoffArea> {
  return inTransaction(knex, 'cases.shutoffArea', ctxIn, casesRefusals, async (trx, ctx) => {
    const c = await findCase(trx, caseNo, true);
    if (c.case_type !== 'water-shutoff-approval')
      throw new CasesError(409, 'wrong_case_type', `case ${c.case_no} is not a shut-off`, 'caseNo');
    const { area, bookIds } = await checkedArea(trx, input, now);
    // Every account not closed whose book is named or whose premises lie on a named street (a sequential scan
    // of the accounts is fine for one case; the lists are JSON so the query text never depends on their length).
    const { rows } = await trx.raw(
      `WITH books AS (SELECT value::bigint AS id FROM jsonb_array_elements_text(CAST(:books AS jsonb))),
            streets AS (SELECT s->>'district' AS district, s->>'street' AS street
                        FROM jsonb_array_elements(CAST(:streets AS jsonb)) s),
            picked AS (
              SELECT a.id, a.book_id IN (SELECT id FROM books) AS by_book,
                     EXISTS (SELECT 1 FROM streets s WHERE s.district = p.district AND s.street = p.street) AS by_street
              FROM cis.accounts a JOIN cis.premises p ON p.id = a.premise_id
              WHERE a.status <> 'closed')
       SELECT * FROM picked WHERE by_book OR by_street ORDER BY id`,
      { books: JSON.stringify(bookIds), streets: JSON.stringify(area.streets) },
    );
    await trx('cis.shutoff_affected_accounts').where({ case_id: c.id }).delete();
    if (rows.length > 0)
      await trx('cis.shutoff_affected_accounts').insert(
        rows.map((r: { id: string; by_book: boolean; by_street: boolean }) => ({
          case_id: c.id,
          account_id: r.id,
          selected_by: r.by_book && r.by_street ? 'both' : r.by_book ? 'book' : 'street',
        })),
      );
    await trx('cis.cases')
      .where({ id: c.id })
      .update({ details: trx.raw('details || ?::jsonb', [JSON.stringify(area)]) });
    await writeAudit(trx, ctx, [
      {
        action: 'shutoff_area_selected',
        entity: 'case',
        entityId: c.case_no as string,
        before: { details: c.details },
        after: { ...area, affectedCount: rows.length },
      },
    ]);
    return { ...area, affectedCount: rows.length };
  });
}
