import type { Knex } from 'knex';
import { POST_PAYMENT_FUNCTION, POST_PAYMENTS_FUNCTION } from '../sql/post-payment.js';

/**
 * Settlement waits: the accounts whose arrears a process (transfer, demolition) found and waits to see settled.
 * The balance check registers the wait; the payment that clears those arrears takes it, and only then does the
 * server publish `arrears-settled` — before, every payment that cleared any arrears published a message kept for
 * an hour, mostly for nobody. cis.post_payment is replaced to take the wait.
 * Also cis.post_payments: submissions that arrive together posted in one statement (domain/payments/post-group.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE cis.settlement_waits (
      account_id bigint PRIMARY KEY REFERENCES cis.accounts (id),
      since timestamptz NOT NULL DEFAULT now()
    )`);
  await knex.raw(POST_PAYMENT_FUNCTION);
  await knex.raw(POST_PAYMENTS_FUNCTION);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION cis.post_payments(jsonb)');
  await knex.raw('DROP TABLE cis.settlement_waits');
}
