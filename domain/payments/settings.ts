import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface PaymentSettings {
  allocationOrder: string[];
  timeZone: string;
  utilityName: string;
  verifyBaseUrl: string;
}

/** The utility's payment settings (one row, migration 0020). */
export async function paymentSettings(db: Db): Promise<PaymentSettings> {
  const row = await db('cis.payment_settings').first();
  return {
    allocationOrder: row.allocation_order,
    timeZone: row.time_zone,
    utilityName: row.utility_name,
    verifyBaseUrl: row.verify_base_url,
  };
}

/** Today in the utility's time zone: payments, sessions and closes belong to this business day. */
export async function businessDay(db: Db): Promise<string> {
  const { rows } = await db.raw(
    `SELECT to_char(now() AT TIME ZONE time_zone, 'YYYY-MM-DD') AS day FROM cis.payment_settings`,
  );
  return rows[0].day;
}
