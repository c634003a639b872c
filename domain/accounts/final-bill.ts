import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { computeChunk } from '../billing/compute-sql.js';
import { notifyBills, postBills } from '../billing/posting.js';
import { MeteringError, MeteringService } from '../metering/service.js';
import { AccountsError, conflict, invalid } from './errors.js';
import { accountsTransaction, balanceFen, lockAccount } from './records.js';
import { FinalBillInput, parse } from './schemas.js';

export interface FinalBill {
  accountNo: string;
  readingId: number;
  /** The period the final reading closes (YYYY-MM). */
  period: string;
  consumption: string;
  bills: Array<{ billId: number; period: string; amountFen: number }>;
  amountFen: number;
  /** The ledger balance after the bills posted (negative: arrears; positive: credit to refund). */
  balanceFen: number;
}

// Rules whose doubt the reader's own final reading cannot answer: it must be read again.
const READ_AGAIN = new Set(['negative_consumption', 'replacement']);

/**
 * 最终账单: the final reading (拆迁) or transfer reading (过户) recorded as an accepted reading, then every period of
 * the account with accepted readings and no current bill, up to the reading's, billed by billing's own statement
 * (`computeChunk`, oldest period first so annual tiers climb in order) and posted (`postBills`), in one transaction.
 *
 * - The reading closes the month of its date in the utility's time zone — or, when that month is read already (the
 *   regular reading came first), the month after the last accepted reading: one live reading per meter and period.
 *   The next reading then counts from it, so the new owner (过户) starts at this reading.
 * - A reading the rules hold for a doubt the reader on site has answered (high, zero, rollover) is confirmed; one
 *   below the previous reading is refused (422 `reading`), so the reading task asks again.
 * - Keyed by the process instance (`<purpose>:<processInstanceKey>` as the reading's external reference): the same
 *   step run again (after a correction loop) finds its reading and bills nothing twice; a bill run later skips the
 *   billed periods.
 * - Final bills belong to no bill run (`run_id` null) and are not held for review: the clerk's process is the review.
 */
export async function finalBill(
  knex: Knex,
  accountNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<FinalBill> {
  const v = parse(FinalBillInput, input);
  return accountsTransaction(knex, 'finalBill', ctxIn, async (trx, ctx) => {
    const account = await lockAccount(trx, accountNo);
    if (account.status === 'closed') throw conflict('account_closed', `account ${account.account_no} is closed`);
    const accountId = Number(account.id);
    // Metering's own transaction nests as a savepoint of this one; the job key stays with this operation.
    const metering = new MeteringService(trx);
    const meteringCtx: ChangeContext = { ...ctx, idempotencyKey: undefined };
    const readAt = v.readingDate ? await noonOf(trx, v.readingDate) : undefined;
    const externalRef = ctx.processInstanceKey ? `${v.purpose}:${ctx.processInstanceKey}` : undefined;
    const period = await openPeriod(trx, accountId, readAt);
    let reading = await meteringRefusal(() =>
      metering.record(
        {
          accountNo: account.account_no,
          reading: v.reading,
          readAt,
          period,
          source: 'manual',
          reader: ctx.actor,
          note: v.purpose === 'demolition' ? '拆迁最终读数 final reading' : '过户读数 transfer reading',
          externalRef,
        },
        meteringCtx,
      ),
    );
    if (reading.status === 'pending') {
      if (reading.failedRule && READ_AGAIN.has(reading.failedRule))
        throw invalid('reading', reading.problem ?? `held by the rule ${reading.failedRule}`);
      reading = await meteringRefusal(() => metering.confirm(reading.id, meteringCtx));
    }
    if (reading.status !== 'accepted')
      throw conflict('reading_not_accepted', `reading ${reading.id} is ${reading.status}`, 'reading');

    const finalPeriod = `${reading.period.slice(0, 7)}-01`;
    const asOf = await businessDay(trx);
    const bills: FinalBill['bills'] = [];
    for (const period of await unbilledPeriods(trx, accountId, finalPeriod)) {
      const r = await computeChunk(trx, {
        runId: null, // no bill run
        period,
        lo: accountId,
        hi: accountId,
        reviewThresholdFen: null,
      });
      if (r.prepaidSkipped) continue; // IC-card accounts pay by card purchase: nothing to bill
      if (r.withoutTariff)
        throw conflict('no_tariff', `no tariff for the account's class in force on ${period.slice(0, 7)}`);
      const bill = await trx('cis.bills')
        .where({ account_id: accountId, period })
        .whereNotIn('status', ['reversed', 'rejected'])
        .first('id', 'amount_fen');
      if (!bill) continue; // a bill run billed the period meanwhile: the run posts it
      await postBills(trx, { billId: Number(bill.id) }, asOf);
      await notifyBills(trx, { billId: Number(bill.id) });
      bills.push({ billId: Number(bill.id), period: period.slice(0, 7), amountFen: Number(bill.amount_fen) });
    }
    const result: FinalBill = {
      accountNo: account.account_no,
      readingId: reading.id,
      period: finalPeriod.slice(0, 7),
      consumption: reading.consumption,
      bills,
      amountFen: bills.reduce((s, b) => s + b.amountFen, 0),
      balanceFen: await balanceFen(trx, accountId),
    };
    await writeAudit(trx, ctx, [
      {
        action: 'final_billed',
        entity: 'account',
        entityId: accountId,
        accountId,
        after: { purpose: v.purpose, reading: reading.reading, ...result },
      },
    ]);
    return result;
  });
}

/** Metering's refusals in accounts' name (the worker's model catches accounts' codes); 422s name `reading`. */
async function meteringRefusal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof MeteringError)) throw err;
    if (err.status === 422) throw invalid('reading', err.message);
    throw new AccountsError(err.status, err.code, err.message, 'reading');
  }
}

/** The reading's date at noon in the utility's time zone (its period is that day's month there). */
async function noonOf(trx: Knex.Transaction, day: string): Promise<string> {
  const { rows } = await trx.raw(
    `SELECT CAST(? AS timestamp) AT TIME ZONE s.time_zone AS at FROM cis.metering_settings s`,
    [`${day}T12:00:00`],
  );
  return new Date(rows[0].at).toISOString();
}

/** The month of `readAt` (now when absent) in the utility's zone, or the month after the last accepted reading. */
async function openPeriod(trx: Knex.Transaction, accountId: number, readAt: string | undefined): Promise<string> {
  const { rows } = await trx.raw(
    `SELECT to_char(greatest(
              date_trunc('month', coalesce(CAST(? AS timestamptz), now()) AT TIME ZONE s.time_zone)::date,
              (SELECT max(r.period) + interval '1 month' FROM cis.readings r
                WHERE r.account_id = ? AND r.status = 'accepted')::date), 'YYYY-MM-01') AS period
       FROM cis.metering_settings s`,
    [readAt ?? null, accountId],
  );
  return rows[0].period;
}

/** Periods up to `last` with accepted readings and no current bill, oldest first. */
async function unbilledPeriods(trx: Knex.Transaction, accountId: number, last: string): Promise<string[]> {
  const { rows } = await trx.raw(
    `SELECT DISTINCT to_char(r.period, 'YYYY-MM-DD') AS period FROM cis.readings r
      WHERE r.account_id = ? AND r.status = 'accepted' AND r.period <= CAST(? AS date)
        AND NOT EXISTS (SELECT 1 FROM cis.bills b WHERE b.account_id = r.account_id AND b.period = r.period
                          AND b.status NOT IN ('reversed', 'rejected'))
      ORDER BY 1`,
    [accountId, last],
  );
  return rows.map((r: { period: string }) => r.period);
}

/** Today in the utility's time zone: the final bill falls due its tariff's payment days after it. */
async function businessDay(trx: Knex.Transaction): Promise<string> {
  const { rows } = await trx.raw(
    `SELECT to_char(now() AT TIME ZONE time_zone, 'YYYY-MM-DD') AS day FROM cis.metering_settings`,
  );
  return rows[0].day;
}
