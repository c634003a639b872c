import type { Knex } from 'knex';
import type { ChangeContext } from '../accounts/audit.js';
import { AccountsError, conflict } from '../accounts/errors.js';
import { ChangeContextInput, parse } from '../accounts/schemas.js';
import { idempotentTransaction } from '../transaction.js';

/**
 * One transaction per metering operation, as in the accounts service: with `ctx.idempotencyKey` (a job
 * key) the first result is stored with the change and a repeated delivery gets it back instead of acting
 * twice. Refusals (AccountsError: 404/409/422 naming the field) pass through unchanged.
 */
export async function inTransaction<T>(
  knex: Knex,
  operation: string,
  ctxIn: ChangeContext,
  fn: (trx: Knex.Transaction, ctx: ChangeContext) => Promise<T>,
): Promise<T> {
  return idempotentTransaction(knex, operation, parse(ChangeContextInput, ctxIn, 'context'), conflict, fn);
}

export { AccountsError as MeteringError };
