import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { RebillPreview, RebilledBill } from '../../contracts/bills.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { lockAccountRows } from '../ledger/service.js';
import { getBill, lockBill, reverseInTrx, type BillView } from './bills.js';
import { computeChunk } from './compute-sql.js';
import { conflict } from './errors.js';
import { CUSTOMER_MOBILE, notifyBills, postBills } from './posting.js';
import { parse, RebillInput } from './schemas.js';
import { isoDate } from './tariffs.js';

/** The confirmation names the preview it confirms: what the clerk saw is what posts. */
const ConfirmRebillInput = RebillInput.extend({ previewHash: z.string().length(16).optional() });

/** Rolls a preview back without an error escaping to the caller. */
class PreviewDone extends Error {
  constructor(readonly preview: RebillPreview) {
    super('preview');
  }
}

/**
 * Re-bill with its cascade, as one operation. The bill is reversed (a posted one; a rejected one needs no
 * reversal) and its period computed again from the readings as they are now; then every later posted bill of
 * the same tier year is computed again where its place on the tiers changed (the year's volume before it, or its
 * own volume) — in period order, each on the year as corrected before it. All new bills post together and the
 * customer gets one notification listing them. Returns the new bill of the period asked for and the differences.
 */
export async function rebill(
  knex: Knex,
  id: number,
  input: unknown,
  asOf: string,
  ctx: ChangeContext,
): Promise<BillView & { rebilled: RebilledBill[]; totalDifferenceFen: number }> {
  const v = parse(ConfirmRebillInput, input);
  const done = await knex.transaction(async (trx) => {
    const result = await cascade(trx, id, v.reason, asOf, ctx);
    if (v.previewHash && v.previewHash !== result.previewHash)
      throw conflict(
        'preview_stale',
        'the bills changed since the preview was shown: preview the re-bill again before confirming',
        'previewHash',
      );
    await notifyCorrection(trx, result.bills);
    return result;
  });
  const first = done.bills[0];
  return {
    ...(await getBill(knex, first.newBillId!)),
    rebilled: done.bills,
    totalDifferenceFen: done.totalDifferenceFen,
  };
}

/**
 * What the re-bill would change, bill by bill, without changing anything: the same operation in a transaction
 * that is rolled back, so the preview cannot differ from what the confirmation posts.
 */
export async function previewRebill(
  knex: Knex,
  id: number,
  input: unknown,
  asOf: string,
  ctx: ChangeContext,
): Promise<RebillPreview> {
  const v = parse(RebillInput, input);
  try {
    await knex.transaction(async (trx) => {
      throw new PreviewDone(await cascade(trx, id, v.reason, asOf, ctx));
    });
  } catch (err) {
    if (err instanceof PreviewDone) return err.preview;
    throw err;
  }
  throw new Error('unreachable: the preview transaction always rolls back');
}

async function cascade(
  trx: Knex.Transaction,
  id: number,
  reason: string,
  asOf: string,
  ctx: ChangeContext,
): Promise<RebillPreview> {
  const bill = await lockBill(trx, id);
  if (bill.status !== 'posted' && bill.status !== 'rejected')
    throw conflict('not_rebillable', `bill ${id} is ${bill.status}: only posted or rejected bills are re-billed`);
  const accountId = Number(bill.account_id);
  await lockAccountRows(trx, [accountId]);
  const period = isoDate(bill.period);
  const later = await trx('cis.bills')
    .where({ account_id: accountId, status: 'posted' })
    .where('period', '>', period)
    .where('period', '<', `${Number(period.slice(0, 4)) + 1}-01-01`)
    .orderBy('period')
    .forUpdate()
    .select('*');

  const bills: RebilledBill[] = [await rebillOne(trx, bill, reason, asOf, ctx, true)];
  for (const q of later) {
    const qPeriod = isoDate(q.period);
    const { rows } = await trx.raw(
      `SELECT
         (SELECT coalesce(sum(volume), 0) FROM cis.bills WHERE account_id = :a AND status NOT IN ('reversed', 'rejected')
            AND period >= date_trunc('year', CAST(:p AS date)) AND period < CAST(:p AS date)) AS ytd,
         (SELECT coalesce(sum(consumption), 0) FROM cis.readings
          WHERE account_id = :a AND period = CAST(:p AS date) AND status = 'accepted') AS volume`,
      { a: accountId, p: qPeriod },
    );
    const sameYtd = Number(rows[0].ytd) === Number(q.ytd_volume_before);
    const sameVolume = Number(rows[0].volume) === Number(q.volume);
    if (sameYtd && sameVolume) continue; // its place on the tiers is unchanged: the bill stands
    bills.push(await rebillOne(trx, q, `${reason}（随 ${period.slice(0, 7)} 更正重算累计阶梯）`, asOf, ctx, false));
  }
  const totalDifferenceFen = bills.reduce((s, b) => s + b.differenceFen, 0);
  const previewHash = crypto
    .createHash('sha256')
    .update(JSON.stringify(bills.map((b) => [b.billId, b.newAmountFen, b.newVolume, b.newYtdVolumeBefore])))
    .digest('hex')
    .slice(0, 16);
  return { billId: id, reason, bills, totalDifferenceFen, previewHash };
}

/** Reverses one bill (when posted), computes its period again and posts the new bill. */
async function rebillOne(
  trx: Knex.Transaction,
  bill: Record<string, unknown>,
  reason: string,
  asOf: string,
  ctx: ChangeContext,
  asked: boolean,
): Promise<RebilledBill> {
  const id = Number(bill.id);
  const period = isoDate(bill.period as string);
  const accountId = Number(bill.account_id);
  if (bill.status === 'posted') await reverseInTrx(trx, bill, reason, ctx);
  const r = await computeChunk(trx, {
    runId: bill.run_id === null ? null : Number(bill.run_id), // a final bill has no run
    period,
    lo: accountId,
    hi: accountId,
    reviewThresholdFen: null,
    replacesBillId: id,
  });
  if (r.bills === 0)
    throw conflict(
      'nothing_to_bill',
      `account has no accepted readings, no tariff or a prepaid card for ${period.slice(0, 7)}`,
    );
  const fresh = await trx('cis.bills')
    .where({ replaces_bill_id: id })
    .orderBy('id', 'desc')
    .first('id', 'amount_fen', 'volume', 'ytd_volume_before');
  await postBills(trx, { billId: Number(fresh.id) }, asOf);
  await writeAudit(trx, ctx, [
    {
      action: 'rebilled',
      entity: 'bill',
      entityId: fresh.id,
      accountId,
      before: { billId: id, amountFen: Number(bill.amount_fen), ytdVolumeBefore: String(bill.ytd_volume_before) },
      after: { billId: Number(fresh.id), reason, cascade: !asked },
    },
  ]);
  return {
    billId: id,
    period: period.slice(0, 7),
    newBillId: Number(fresh.id),
    oldAmountFen: Number(bill.amount_fen),
    newAmountFen: Number(fresh.amount_fen),
    differenceFen: Number(fresh.amount_fen) - Number(bill.amount_fen),
    oldVolume: String(bill.volume),
    newVolume: String(fresh.volume),
    oldYtdVolumeBefore: String(bill.ytd_volume_before),
    newYtdVolumeBefore: String(fresh.ytd_volume_before),
    cascaded: !asked,
  };
}

/**
 * One notification for the whole correction (SMS to the first mobile number, else a letter), on the earliest new
 * bill: the customer hears once, with every month that changed and the difference in total. A bill of 0 fen
 * alone asks nothing (posting.ts); a correction is announced even when it nets to 0, since the months changed.
 */
async function notifyCorrection(trx: Knex.Transaction, bills: RebilledBill[]): Promise<void> {
  const first = bills[0];
  // one bill alone is announced as any re-issued bill is, with its volume, amount and due date
  if (bills.length === 1) return void (await notifyBills(trx, { billId: first.newBillId! }));
  await trx.raw(
    `INSERT INTO cis.notifications (account_id, bill_id, kind, channel, recipient, payload)
     SELECT b.account_id, b.id, 'bills_corrected', CASE WHEN ph.phone IS NULL THEN 'letter' ELSE 'sms' END, ph.phone,
            jsonb_build_object('accountNo', a.account_no, 'bills', CAST(:bills AS jsonb),
                               'totalDifferenceFen', CAST(:total AS bigint), 'dueDate', b.due_date)
     FROM cis.bills b
     JOIN cis.accounts a ON a.id = b.account_id
     ${CUSTOMER_MOBILE}
     WHERE b.id = :id
     ON CONFLICT (bill_id, kind) DO NOTHING`,
    {
      id: first.newBillId,
      total: bills.reduce((s, b) => s + b.differenceFen, 0),
      bills: JSON.stringify(
        bills.map((b) => ({ period: b.period, oldAmountFen: b.oldAmountFen, newAmountFen: b.newAmountFen })),
      ),
    },
  );
}
