import type { Knex } from 'knex';
import type { ChangeContext } from '../accounts/audit.js';
import { conflict } from './errors.js';
import { ChangeContextInput, parse } from './schemas.js';
import { idempotentTransaction } from '../transaction.js';

/** A repair operation in one idempotent transaction (domain/transaction.ts), its context checked by repair. */
export async function inTransaction<T>(
  knex: Knex,
  operation: string,
  ctxIn: ChangeContext,
  fn: (trx: Knex.Transaction, ctx: ChangeContext) => Promise<T>,
): Promise<T> {
  return idempotentTransaction(knex, operation, parse(ChangeContextInput, ctxIn, 'context'), conflict, fn);
}
