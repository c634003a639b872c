import type { Knex } from 'knex';
import type { ReadingView } from '../../contracts/metering.js';
import { calendarDate } from '../accounts/view360.js';

export type { ReadingView };

export const READING_COLUMNS = [
  'r.id',
  'a.account_no',
  'm.serial',
  'r.period',
  'r.read_at',
  'r.reading',
  'r.previous_reading',
  'r.consumption',
  'r.source',
  'r.estimated',
  'r.status',
  'r.failed_rule',
  'r.problem',
  'r.note',
  'r.reader',
  'r.billing_late',
];

export function readingsQuery(db: Knex | Knex.Transaction) {
  return db('cis.readings as r')
    .join('cis.accounts as a', 'a.id', 'r.account_id')
    .leftJoin('cis.meters as m', 'm.id', 'r.meter_id')
    .select(READING_COLUMNS);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a row of readingsQuery()
export function toView(r: any): ReadingView {
  return {
    id: Number(r.id),
    accountNo: r.account_no,
    meterSerial: r.serial ?? null,
    period: calendarDate(r.period)!,
    readAt: new Date(r.read_at).toISOString(),
    reading: r.reading,
    previousReading: r.previous_reading ?? null,
    consumption: r.consumption,
    source: r.source,
    estimated: r.estimated,
    status: r.status,
    failedRule: r.failed_rule ?? null,
    problem: r.problem ?? null,
    billingLate: r.billing_late === true,
    note: r.note,
    reader: r.reader ?? null,
  };
}

export async function readingById(db: Knex | Knex.Transaction, id: number | string): Promise<ReadingView | null> {
  const row = await readingsQuery(db).where('r.id', id).first();
  return row ? toView(row) : null;
}
