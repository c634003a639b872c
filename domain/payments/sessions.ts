import type { Knex } from 'knex';
import { conflict } from './errors.js';

/**
 * The cashier's session of the day, opened by the first payment. Taken FOR SHARE: payments of one cashier post
 * side by side, while a close (FOR UPDATE) waits for them and every later payment sees the session closed.
 */
export async function openSession(trx: Knex.Transaction, cashier: string, day: string): Promise<number> {
  await trx.raw(
    `INSERT INTO cis.cashier_sessions (cashier, business_day) VALUES (?, ?) ON CONFLICT (cashier, business_day) DO NOTHING`,
    [cashier, day],
  );
  const { rows } = await trx.raw(
    `SELECT id, closed_at FROM cis.cashier_sessions WHERE cashier = ? AND business_day = ? FOR SHARE`,
    [cashier, day],
  );
  if (rows[0].closed_at)
    throw conflict('session_closed', `${cashier} closed the day ${day} (日结): no more payments on it`);
  return Number(rows[0].id);
}
