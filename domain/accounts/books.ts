import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict } from './errors.js';
import { accountsTransaction } from './records.js';
import { BookInput, parse } from './schemas.js';

/** A meter book (抄表本): a reading route that accounts are kept in, in order. */
export async function createBook(
  knex: Knex,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<{ id: number; code: string }> {
  const v = parse(BookInput, input);
  return accountsTransaction(knex, 'createBook', ctxIn, async (trx, ctx) => {
    if (await trx('cis.meter_books').where({ code: v.code }).first('id'))
      throw conflict('duplicate', `meter book ${v.code} already exists`, 'code');
    const row = { code: v.code, name: v.name, reader: v.reader ?? null, cycle: v.cycle };
    const [{ id }] = await trx('cis.meter_books').insert(row).returning('id');
    await writeAudit(trx, ctx, [{ action: 'created', entity: 'meter_book', entityId: id, after: row }]);
    return { id: Number(id), code: v.code };
  });
}
