import type { Knex } from 'knex';
import { conflict } from './errors.js';

/**
 * The cashier's session of the day, opened by the first payment. Taken FOR SHARE: payments of one cashier post
 * side by side, while a close (FOR UPDATE) waits for them and every later payment sees the session closed.
 */
export async function openSession(trx: Knex.Transaction, cashier: string): Promise<{ id: number; day: string }> {
  // The business day is today in the utility's time zone (payment_settings), computed where it is used.
  const today = `(SELECT CAST(now() AT TIME ZONE time_zone AS date) FROM cis.payment_settings)`;
  await trx.raw(
    `INSERT INTO cis.cashier_sessions (cashier, business_day) SELECT ?, ${today}
     ON CONFLICT (cashier, business_day) DO NOTHING`,
    [cashier],
  );
  const { rows } = await trx.raw(
    `SELECT id, closed_at, to_char(business_day, 'YYYY-MM-DD') AS day FROM cis.cashier_sessions
     WHERE cashier = ? AND business_day = ${today} FOR SHARE`,
    [cashier],
  );
  const day = rows[0].day as string;
  if (rows[0].closed_at)
    throw conflict('session_closed', `${cashier} closed the day ${day} (日结): no more payments on it`);
  return { id: Number(rows[0].id), day };
}
