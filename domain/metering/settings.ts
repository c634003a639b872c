import type { Knex } from 'knex';
import { toLitres, type Litres } from './volume.js';

type Db = Knex | Knex.Transaction;

export interface MeteringSettings {
  /** The utility's time zone: a reading's period is the month of its reading time there. */
  timeZone: string;
  /** A correction of an accepted reading that moves consumption by more than this waits for approval. */
  correctionApproval: Litres;
  /** Share of a meter's capacity a rollover may consume, by caliber in mm (`default` for the others). */
  rolloverMaxShare: Record<string, number>;
}

/** The metering settings (one row, migration 0022), read per operation: a change applies at once. */
export async function meteringSettings(db: Db): Promise<MeteringSettings> {
  const row = await db('cis.metering_settings').first('time_zone', 'correction_approval_m3', 'rollover_max_share');
  return {
    timeZone: row.time_zone,
    correctionApproval: toLitres(row.correction_approval_m3),
    rolloverMaxShare: row.rollover_max_share,
  };
}

/**
 * The period (first day of the month) of a reading taken at `readAt` (an instant; now when absent), in the
 * utility's time zone: 00:30 on the 1st in China is still the previous month in UTC.
 */
export async function periodAt(db: Db, readAt: string | undefined): Promise<string> {
  const { rows } = await db.raw(
    `SELECT to_char(coalesce(CAST(? AS timestamptz), now()) AT TIME ZONE s.time_zone, 'YYYY-MM-01') AS period
       FROM cis.metering_settings s`,
    [readAt ?? null],
  );
  return rows[0].period;
}

/** A wall-clock time without zone (a meter's clock, YYYY-MM-DDTHH:mm:ss) in the utility's zone, as an ISO instant. */
export async function localToInstant(db: Db, local: string): Promise<string> {
  const { rows } = await db.raw(
    `SELECT CAST(? AS timestamp) AT TIME ZONE s.time_zone AS at FROM cis.metering_settings s`,
    [local],
  );
  return new Date(rows[0].at).toISOString();
}
