import type { Knex } from 'knex';
import type { ReadingFacts } from './rules.js';
import { meteringSettings } from './settings.js';
import { toLitres } from './volume.js';

type Db = Knex | Knex.Transaction;

export interface MeterRow {
  id: string;
  serial: string;
  digits: number;
  initial_reading: string;
  /** Nominal size (DN, mm): the share of capacity a rollover may consume is configured per caliber. */
  caliber_mm?: number;
}

interface ReadingRow {
  id: string;
  reading: string;
  estimated: boolean;
}

// Latest first: by the period a reading closes, then by when it was taken.
const LATEST = ['period desc', 'read_at desc', 'id desc'].map((o) => {
  const [column, order] = o.split(' ');
  return { column, order: order as 'desc' };
});

/** Accepted readings of one meter (or, without a meter, the account's meterless ones). */
function acceptedOf(db: Db, accountId: string, meterId: string | null) {
  const q = db('cis.readings').where({ status: 'accepted' });
  return meterId ? q.where({ meter_id: meterId }) : q.where({ account_id: accountId }).whereNull('meter_id');
}

export async function previousAccepted(db: Db, accountId: string, meterId: string | null): Promise<ReadingRow | null> {
  return (await acceptedOf(db, accountId, meterId).orderBy(LATEST).first('id', 'reading', 'estimated')) ?? null;
}

/** Consumption of the account's last `n` accepted real readings, newest first, in litres. */
export async function recentConsumption(db: Db, accountId: string, n: number): Promise<number[]> {
  const rows: Array<{ consumption: string }> = await db('cis.readings')
    .where({ account_id: accountId, status: 'accepted', estimated: false })
    .orderBy(LATEST)
    .limit(n)
    .select('consumption');
  return rows.map((r) => toLitres(r.consumption));
}

/** Average consumption per reading over the last `n` accepted real readings, in litres (0 without history). */
export async function averageConsumption(db: Db, accountId: string, n = 6): Promise<number> {
  const recent = await recentConsumption(db, accountId, n);
  return recent.length ? Math.round(recent.reduce((a, b) => a + b, 0) / recent.length) : 0;
}

/** Everything the rules judge a new reading of `meter` on `account` against. */
export async function gatherFacts(
  db: Db,
  accountId: string,
  meter: MeterRow | null,
  reading: number,
): Promise<ReadingFacts & { previousId: string | null }> {
  const previous = await previousAccepted(db, accountId, meter?.id ?? null);
  const initial = meter ? toLitres(meter.initial_reading) : 0;
  let lastReal = previous && !previous.estimated ? toLitres(previous.reading) : initial;
  if (previous?.estimated) {
    const real = await acceptedOf(db, accountId, meter?.id ?? null)
      .where({ estimated: false })
      .orderBy(LATEST)
      .first('reading');
    lastReal = real ? toLitres(real.reading) : initial;
  }
  let replacement: ReadingFacts['replacement'] = null;
  if (meter && !previous) {
    const r = await db('cis.meter_replacements')
      .where({ new_meter_id: meter.id })
      .orderBy('id', 'desc')
      .first('old_meter_id', 'final_reading', 'initial_reading');
    if (r?.old_meter_id) {
      const oldLast = await previousAccepted(db, accountId, r.old_meter_id);
      const old = await db('cis.meters').where({ id: r.old_meter_id }).first('initial_reading');
      replacement = {
        finalReading: r.final_reading == null ? null : toLitres(r.final_reading),
        oldBaseline: toLitres(oldLast?.reading ?? old?.initial_reading ?? '0'),
        initialReading: toLitres(r.initial_reading ?? meter.initial_reading),
      };
    }
  }
  const shares = (await meteringSettings(db)).rolloverMaxShare;
  const share = shares[String(meter?.caliber_mm)] ?? shares.default;
  return {
    reading,
    hasMeter: meter !== null,
    meterHasHistory: previous !== null,
    rolloverAcceptShare: typeof share === 'number' ? share : 0.02,
    digits: meter?.digits ?? 5,
    baseline: previous ? toLitres(previous.reading) : initial,
    baselineEstimated: previous?.estimated ?? false,
    lastReal,
    replacement,
    history: await recentConsumption(db, accountId, 12),
    previousId: previous?.id ?? null,
  };
}
