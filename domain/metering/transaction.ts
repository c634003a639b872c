import type { Knex } from 'knex';
import type { ChangeContext } from '../accounts/audit.js';
import { AccountsError, conflict } from '../accounts/errors.js';
import { ChangeContextInput, parse } from '../accounts/schemas.js';

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
  const ctx = parse(ChangeContextInput, ctxIn, 'context');
  const key = ctx.idempotencyKey;
  return knex.transaction(async (trx) => {
    if (key) {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 5))', [key]);
      const done = await trx('cis.idempotency_keys').where({ key }).first('operation', 'result');
      if (done) {
        if (done.operation !== operation)
          throw conflict(
            'idempotency_key_reused',
            `key ${key} was used for ${done.operation}`,
            'context.idempotencyKey',
          );
        return done.result as T;
      }
    }
    const result = await fn(trx, ctx);
    if (key) await trx('cis.idempotency_keys').insert({ key, operation, result: JSON.stringify(result) });
    return result;
  });
}

export { AccountsError as MeteringError };
