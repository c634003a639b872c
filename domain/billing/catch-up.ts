import type { Knex } from 'knex';
import type { ChangeContext } from '../audit/audit.js';
import { lockAccountRows } from '../ledger/service.js';
import { computeChunk } from './compute-sql.js';
import { notifyBills, postBills } from './posting.js';
import { rebill } from './rebill.js';

export interface CaughtUp {
  accountId: number;
  /** YYYY-MM of the late reading */
  period: string;
  /** `billed`: the period had no bill and has one now; `rebilled`: its bill (and its tier year) was re-billed. */
  action: 'billed' | 'rebilled';
  billId: number;
}

/**
 * Late readings: a reading accepted for a period whose run had already computed is marked `billing_late`
 * (migration 0026). Each later run bills them before it ends: a period without a bill gets its bill now (in
 * that period's run, posted and announced) and the later bills of its tier year are re-billed on it; a posted bill whose volume the reading changed is re-billed with
 * its tier year (rebill.ts). A period whose bill is not posted yet (its run still under review) keeps the mark
 * for the next run. Repeating this finds nothing left to do.
 */
export async function catchUpLateReadings(
  knex: Knex,
  beforePeriod: string,
  asOf: string,
  ctx: ChangeContext,
): Promise<CaughtUp[]> {
  const { rows } = await knex.raw(
    `SELECT r.account_id, to_char(r.period, 'YYYY-MM-DD') AS period, br.id AS run_id,
            (SELECT sum(x.consumption) FROM cis.readings x
             WHERE x.account_id = r.account_id AND x.period = r.period AND x.status = 'accepted') AS volume
     FROM (SELECT DISTINCT account_id, period FROM cis.readings WHERE billing_late AND period < CAST(? AS date)) r
     JOIN cis.bill_runs br ON br.period = r.period
     ORDER BY r.period, r.account_id`,
    [beforePeriod],
  );
  const done: CaughtUp[] = [];
  for (const late of rows as Array<{ account_id: string; period: string; run_id: string; volume: string | null }>) {
    const accountId = Number(late.account_id);
    const current = await knex('cis.bills')
      .where({ account_id: accountId, period: late.period })
      .whereNotIn('status', ['reversed', 'rejected'])
      .first('id', 'status', 'volume');
    if (current && current.status !== 'posted') continue; // its run posts it first; the next run looks again
    if (current && Number(current.volume) !== Number(late.volume)) {
      const fresh = await rebill(knex, Number(current.id), { reason: '迟到读数补计' }, asOf, ctx);
      done.push({ accountId, period: late.period.slice(0, 7), action: 'rebilled', billId: fresh.id });
    } else if (!current) {
      const billId = await billLatePeriod(knex, accountId, late.period, Number(late.run_id), asOf);
      if (billId) {
        done.push({ accountId, period: late.period.slice(0, 7), action: 'billed', billId });
        // the later bills of its tier year were computed without it: they climb the tiers again from here
        const next = await knex('cis.bills')
          .where({ account_id: accountId, status: 'posted' })
          .where('period', '>', late.period)
          .where('period', '<', `${Number(late.period.slice(0, 4)) + 1}-01-01`)
          .orderBy('period')
          .first('id');
        if (next) await rebill(knex, Number(next.id), { reason: '迟到读数补计后重算累计阶梯' }, asOf, ctx);
      }
    }
    await knex('cis.readings')
      .where({ account_id: accountId, period: late.period, billing_late: true })
      .update({ billing_late: false });
  }
  return done;
}

/** Bills one account's late period in that period's run, posts and announces it; null when nothing is billable. */
async function billLatePeriod(
  knex: Knex,
  accountId: number,
  period: string,
  runId: number,
  asOf: string,
): Promise<number | null> {
  return knex.transaction(async (trx) => {
    await lockAccountRows(trx, [accountId]);
    const r = await computeChunk(trx, { runId, period, lo: accountId, hi: accountId, reviewThresholdFen: null });
    if (r.bills === 0) return null; // no tariff, or a prepaid card: nothing to bill, as in the run itself
    const bill = await trx('cis.bills')
      .where({ account_id: accountId, period, status: 'computed' })
      .orderBy('id', 'desc')
      .first('id');
    await postBills(trx, { billId: Number(bill.id) }, asOf);
    await notifyBills(trx, { billId: Number(bill.id) });
    return Number(bill.id);
  });
}
