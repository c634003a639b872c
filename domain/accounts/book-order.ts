import type { Knex } from 'knex';
import { conflict, invalid } from './errors.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';

/** Gap between neighbours in a meter book: room for nine accounts to slot in before any renumbering. */
export const BOOK_STEP = 10;

export interface BookPlacement {
  sequence?: number;
  afterAccountNo?: string;
}

/**
 * Picks the sequence for a new account in a book whose row the caller holds locked (FOR UPDATE):
 * an explicit sequence must be free; "after account X" takes the middle of the gap to X's
 * successor, and only when there is no gap shifts the tail of the book by one set-based UPDATE
 * (the unique constraint is deferrable, so the shift is checked at statement end). Default: the end.
 */
export async function placeInBook(
  trx: Knex.Transaction,
  bookId: number,
  placement: BookPlacement,
  ctx: ChangeContext,
): Promise<number> {
  if (placement.sequence !== undefined) {
    const taken = await trx('cis.accounts')
      .where({ book_id: bookId, book_seq: placement.sequence })
      .first('account_no');
    if (taken)
      throw conflict(
        'book_sequence_taken',
        `sequence ${placement.sequence} is held by account ${taken.account_no}`,
        'book.sequence',
      );
    return placement.sequence;
  }
  if (placement.afterAccountNo !== undefined) {
    const prev = await trx('cis.accounts')
      .where({ book_id: bookId, account_no: placement.afterAccountNo })
      .first('book_seq');
    if (!prev) throw invalid('book.afterAccountNo', `account ${placement.afterAccountNo} is not in this book`);
    const next = await trx('cis.accounts')
      .where({ book_id: bookId })
      .andWhere('book_seq', '>', prev.book_seq)
      .min('book_seq as seq')
      .first();
    if (next?.seq == null) return prev.book_seq + BOOK_STEP;
    if (next.seq - prev.book_seq >= 2) return prev.book_seq + Math.floor((next.seq - prev.book_seq) / 2);
    const shifted = await trx('cis.accounts')
      .where({ book_id: bookId })
      .andWhere('book_seq', '>', prev.book_seq)
      .increment('book_seq', BOOK_STEP);
    await writeAudit(trx, ctx, [
      {
        action: 'book_renumbered',
        entity: 'meter_book',
        entityId: bookId,
        after: { after: prev.book_seq, shiftedBy: BOOK_STEP, accounts: shifted },
      },
    ]);
    return prev.book_seq + BOOK_STEP / 2;
  }
  const last = await trx('cis.accounts').where({ book_id: bookId }).max('book_seq as seq').first();
  return (last?.seq ?? 0) + BOOK_STEP;
}
