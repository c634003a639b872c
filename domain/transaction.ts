import type { Knex } from 'knex';
import { ChangeContextInput, type ChangeContext } from './audit/audit.js';
import type { DomainError } from './errors.js';
import { zodParser } from './parse.js';

/** A module's own refusals, so a caller of that module catches only that module's errors. */
export interface ModuleRefusals {
  conflict: (code: string, message: string, field?: string) => DomainError;
  invalid: (field: string, message: string) => DomainError;
}

/**
 * One transaction per domain operation, for every module. The change context is checked first (the module's 422
 * naming `context.<field>`). With `ctx.idempotencyKey` (a job key, or a work order's completion key) the first
 * result is kept with the change and a repeated call returns it instead of acting twice: the engine delivers jobs
 * at least once, and a phone on a bad network sends a form twice. A key reused for another operation is refused
 * with the module's own 409 (`conflict`).
 */
export async function inTransaction<T>(
  knex: Knex,
  operation: string,
  ctxIn: ChangeContext,
  refusals: ModuleRefusals,
  fn: (trx: Knex.Transaction, ctx: ChangeContext) => Promise<T>,
): Promise<T> {
  const ctx = zodParser(refusals.invalid)(ChangeContextInput, ctxIn, 'context');
  const key = ctx.idempotencyKey;
  return knex.transaction(async (trx) => {
    if (key) {
      // Two deliveries racing: the second waits here and then finds the first one's result.
      await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 5))', [key]);
      const done = await trx('cis.idempotency_keys').where({ key }).first('operation', 'result');
      if (done) {
        if (done.operation !== operation)
          throw refusals.conflict(
            'idempotency_key_reused',
            `key ${key} was used for ${done.operation}`,
            'context.idempotencyKey',
          );
        return done.result as T;
      }
    }
    const result = await fn(trx, ctx);
    if (key) await trx('cis.idempotency_keys').insert({ key, operation, result: JSON.stringify(result ?? null) });
    return result;
  });
}
