import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import type { MeteringSettingsView } from '../../contracts/metering.js';
import { invalid } from './errors.js';
import { fromLitres, toLitres, type Litres } from './volume.js';

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

export type { MeteringSettingsView };

const view = (row: Record<string, unknown>): MeteringSettingsView => ({
  timeZone: row.time_zone as string,
  correctionApprovalM3: row.correction_approval_m3 as string,
  rolloverMaxShare: row.rollover_max_share as Record<string, number>,
});

export async function settingsView(db: Db): Promise<MeteringSettingsView> {
  return view(await db('cis.metering_settings').first());
}

/** A manager changes metering settings; settings not named keep their value. A time zone PostgreSQL does not know is refused. */
export async function updateSettings(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  input: { timeZone?: string; correctionApprovalM3?: string; rolloverMaxShare?: Record<string, number> },
): Promise<MeteringSettingsView> {
  if (input.timeZone !== undefined) {
    const known = await trx('pg_timezone_names').where({ name: input.timeZone }).first('name');
    if (!known) throw invalid('timeZone', `${input.timeZone} is not a time zone (e.g. Asia/Shanghai)`);
  }
  if (input.rolloverMaxShare && typeof input.rolloverMaxShare.default !== 'number')
    throw invalid('rolloverMaxShare.default', 'the share for calibers not listed is required');
  const before = await trx('cis.metering_settings').forUpdate().first();
  const changes = {
    ...(input.timeZone === undefined ? {} : { time_zone: input.timeZone }),
    ...(input.correctionApprovalM3 === undefined
      ? {}
      : { correction_approval_m3: fromLitres(toLitres(input.correctionApprovalM3)) }),
    ...(input.rolloverMaxShare === undefined ? {} : { rollover_max_share: JSON.stringify(input.rolloverMaxShare) }),
  };
  const [row] = await trx('cis.metering_settings')
    .update({ ...changes, updated_at: trx.fn.now() })
    .returning('*');
  await writeAudit(trx, ctx, [
    { action: 'updated', entity: 'metering_settings', entityId: 'metering', before: view(before), after: view(row) },
  ]);
  return view(row);
}
