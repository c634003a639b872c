import type { Knex } from 'knex';
import { CASHIER_DAY_LOCK_FUNCTION, POST_PAYMENT_FUNCTION } from '../sql/post-payment.js';

/**
 * cis.post_payment: a payment submission in one statement (db/sql/post-payment.ts says why), and the lock key of
 * a cashier's day that payments, counter reversals and the daily close share.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(CASHIER_DAY_LOCK_FUNCTION);
  await knex.raw(POST_PAYMENT_FUNCTION);
  // re-planned on every call otherwise (2.6 of its 3.7 ms per payment in the payment-post bench)
  await knex.raw('ALTER FUNCTION cis.settle_accounts(bigint[]) SET plan_cache_mode = force_generic_plan');
  // ledger_entries_account_sign (account_id, amount_fen > 0, id) serves every lookup by account: one index less
  // to write on each entry
  await knex.raw('DROP INDEX cis.ledger_entries_account');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX ledger_entries_account ON cis.ledger_entries (account_id)');
  await knex.raw('ALTER FUNCTION cis.settle_accounts(bigint[]) RESET plan_cache_mode');
  await knex.raw(`DROP FUNCTION IF EXISTS cis.post_payment(text, text, text, text, bigint, jsonb, text, text, text);
    DROP FUNCTION IF EXISTS cis.cashier_day_lock_key(text, date)`);
}
