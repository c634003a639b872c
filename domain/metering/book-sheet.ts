import type { Knex } from 'knex';
import type { BookSheet, SheetLine } from '../../contracts/metering.js';
import { notFound } from './errors.js';

export type { BookSheet, SheetLine };

/**
 * The reading sheet of a book for a period, set-based: one statement with lateral look-ups per account
 * (previous reading, average, current reading). Closed accounts are left out.
 */
export async function bookSheet(db: Knex, bookCode: string, period: string): Promise<BookSheet> {
  const book = await db('cis.meter_books').where({ code: bookCode }).first('id', 'code', 'name', 'reader', 'cycle');
  if (!book) throw notFound('meter book', bookCode);
  const { rows } = await db.raw(
    `
    SELECT a.book_seq, a.account_no, a.status AS account_status, m.serial, m.digits, c.name,
           p.district || p.street || p.community || p.building || p.unit || p.room || p.address_text AS address,
           coalesce(prev.reading, m.initial_reading, 0)::text AS previous_reading,
           coalesce(round(avg6.avg, 3), 0)::numeric(12, 3)::text AS average,
           cur.id AS cur_id, cur.reading AS cur_reading, cur.consumption AS cur_consumption, cur.status AS cur_status,
           cur.failed_rule, cur.problem, cur.estimated AS cur_estimated, cur.billing_late AS cur_billing_late
      FROM cis.accounts a
      JOIN cis.customers c ON c.id = a.customer_id
      JOIN cis.premises p ON p.id = a.premise_id
      LEFT JOIN LATERAL (
        SELECT id, serial, digits, initial_reading FROM cis.meters
         WHERE account_id = a.id AND status = 'in_service' ORDER BY id DESC LIMIT 1
      ) m ON true
      LEFT JOIN LATERAL (
        SELECT reading FROM cis.readings r
         WHERE r.status = 'accepted' AND r.period < :period
           AND (r.meter_id = m.id OR (m.id IS NULL AND r.account_id = a.id AND r.meter_id IS NULL))
         ORDER BY r.period DESC, r.read_at DESC, r.id DESC LIMIT 1
      ) prev ON true
      LEFT JOIN LATERAL (
        SELECT avg(consumption) AS avg FROM (
          SELECT consumption FROM cis.readings r
           WHERE r.account_id = a.id AND r.status = 'accepted' AND NOT r.estimated AND r.period < :period
           ORDER BY r.period DESC, r.read_at DESC, r.id DESC LIMIT 6
        ) last6
      ) avg6 ON true
      LEFT JOIN LATERAL (
        SELECT id, reading, consumption, status, failed_rule, problem, estimated, billing_late FROM cis.readings r
         WHERE r.account_id = a.id AND r.period = :period AND r.status IN ('pending', 'accepted')
         ORDER BY r.id DESC LIMIT 1
      ) cur ON true
     WHERE a.book_id = :bookId AND a.status <> 'closed'
     ORDER BY a.book_seq`,
    { bookId: book.id, period },
  );
  return {
    book: { code: book.code, name: book.name, reader: book.reader, cycle: book.cycle },
    period,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of the statement above
    lines: rows.map((r: any) => ({
      seq: r.book_seq,
      accountNo: r.account_no,
      accountStatus: r.account_status,
      meterSerial: r.serial ?? null,
      digits: r.digits ?? null,
      name: r.name,
      address: r.address,
      previousReading: r.previous_reading,
      average: r.average,
      current: r.cur_id
        ? {
            id: Number(r.cur_id),
            reading: r.cur_reading,
            consumption: r.cur_consumption,
            status: r.cur_status,
            failedRule: r.failed_rule ?? null,
            problem: r.problem ?? null,
            estimated: r.cur_estimated,
            billingLate: r.cur_billing_late === true,
          }
        : null,
    })),
  };
}
