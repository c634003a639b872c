import type { Knex } from 'knex';
import type { ReadingFacts } from './rules.js';
import { calendarDate } from '../accounts/view360.js';
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
  period: Date | string;
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
  return (
    (await acceptedOf(db, accountId, meterId).orderBy(LATEST).first('id', 'reading', 'estimated', 'period')) ?? null
  );
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

const CYCLE_MONTHS: Record<string, number> = { monthly: 1, bimonthly: 2, quarterly: 3 };

/** Whole months from one period (or date) to another, at least 1: '2026-01-01' → '2026-03-01' is 2. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.slice(0, 7).split('-').map(Number);
  const [ty, tm] = to.slice(0, 7).split('-').map(Number);
  return Math.max(1, (ty - fy) * 12 + (tm - fm));
}

/**
 * Everything the rules judge a new reading of `meter` on `account` against; `period` is the month the reading
 * closes (YYYY-MM-01; the current month when absent).
 */
export async function gatherFacts(
  db: Db,
  accountId: string,
  meter: MeterRow | null,
  reading: number,
  period = new Date().toISOString().slice(0, 8) + '01',
): Promise<ReadingFacts & { previousId: string | null }> {
  const previous = await previousAccepted(db, accountId, meter?.id ?? null);
  const account = await db('cis.accounts as a')
    .join('cis.meter_books as b', 'b.id', 'a.book_id')
    .where('a.id', accountId)
    .first('a.customer_class', 'b.cycle');
  let since: string | null = previous ? calendarDate(previous.period) : null;
  if (!since && meter) {
    const installed = await db('cis.meters').where({ id: meter.id }).first('install_date');
    since = calendarDate(installed?.install_date ?? null);
  }
  const cycle = CYCLE_MONTHS[account?.cycle as string] ?? 1;
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
    customerClass: (account?.customer_class as string) ?? 'residential',
    caliberMm: meter?.caliber_mm ?? null,
    spanMonths: Math.max(cycle, since ? monthsBetween(since, period) : cycle),
    previousId: previous?.id ?? null,
  };
}
