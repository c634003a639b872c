import { stringify } from 'csv-stringify/sync';
import type { Knex } from 'knex';
import { bookSheet } from './book-sheet.js';
import { encodeFile, EXPORT_COLUMNS, type FileEncoding } from './handheld-format.js';

/** A book's reading sheet as the CSV file a handheld device loads, in route order. */
export async function exportBook(
  knex: Knex,
  bookCode: string,
  period: string,
  encoding: FileEncoding,
): Promise<{ fileName: string; bytes: Buffer; lines: number }> {
  const sheet = await bookSheet(knex, bookCode, period);
  const rows = sheet.lines
    .filter((l) => l.meterSerial)
    .map((l) => [l.seq, l.accountNo, l.meterSerial, l.name, l.address, l.previousReading, l.average]);
  const text = stringify([[...EXPORT_COLUMNS], ...rows], { record_delimiter: '\r\n' });
  return {
    fileName: `${sheet.book.code}-${period.slice(0, 7)}.csv`,
    bytes: encodeFile(text, encoding),
    lines: rows.length,
  };
}
