import type { Knex } from 'knex';
import { POST_PAYMENT_FUNCTION } from '../sql/post-payment.js';

/** cis.post_payment refuses a serial a case fee payment used (one (channel, serial) across the counter). */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(POST_PAYMENT_FUNCTION);
}

// The function's previous text is not kept; the check it adds refuses only what was already wrong.
export async function down(): Promise<void> {}
