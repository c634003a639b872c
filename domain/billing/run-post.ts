import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { catchUpLateReadings, type CaughtUp } from './catch-up.js';
import { notFound } from './errors.js';
import { notifyBills, postBills } from './posting.js';
import { parse, ReviewDecision } from './schemas.js';
import { isoDate } from './tariffs.js';

/**
 * Applies the reviewers' decisions, then posts every approved bill of the run to the ledger. A decision on a
 * bill no longer waiting for review changes nothing, so the step may be repeated. Then the late readings of
 * earlier periods are billed (catch-up.ts).
 */
export async function postRun(
  knex: Knex,
  runId: number,
  decisions: unknown[],
  asOf: string,
  ctx: ChangeContext,
): Promise<{ posted: number; amountFen: number; rejected: number; caughtUp: CaughtUp[] }> {
  const parsed = decisions.map((d, i) => parse(ReviewDecision, d, `decisions.${i}`));
  const result = await knex.transaction(async (trx) => {
    const run = await trx('cis.bill_runs').where({ id: runId }).forUpdate().first();
    if (!run) throw notFound('bill run', runId);
    let rejected = 0;
    for (const d of parsed) {
      const [bill] = await trx('cis.bills')
        .where({ id: d.billId, run_id: runId, status: 'review' })
        .update({ status: d.approved ? 'approved' : 'rejected', note: d.note })
        .returning(['id', 'account_id', 'amount_fen']);
      if (!bill) continue;
      if (!d.approved) rejected++;
      await writeAudit(trx, ctx, [
        {
          action: d.approved ? 'approved' : 'rejected',
          entity: 'bill',
          entityId: bill.id,
          accountId: bill.account_id,
          before: { status: 'review' },
          after: { status: d.approved ? 'approved' : 'rejected', amountFen: Number(bill.amount_fen), note: d.note },
        },
      ]);
    }
    const posted = await postBills(trx, { runId }, asOf);
    const total = await trx('cis.bills').where({ run_id: runId, status: 'posted' }).count('* as n').first();
    await trx('cis.bill_runs')
      .where({ id: runId })
      .update({ status: run.status === 'done' ? 'done' : 'posting', bills_posted: Number(total?.n ?? 0) });
    if (posted.bills > 0)
      await writeAudit(trx, ctx, [
        {
          action: 'posted',
          entity: 'bill_run',
          entityId: runId,
          after: { bills: posted.bills, amountFen: posted.amountFen, asOf },
        },
      ]);
    return { posted: posted.bills, amountFen: posted.amountFen, rejected, period: isoDate(run.period) };
  });
  // Readings that came late for earlier periods are billed with this run (catch-up.ts), never left unbilled.
  const caughtUp = await catchUpLateReadings(knex, result.period, asOf, ctx);
  return { posted: result.posted, amountFen: result.amountFen, rejected: result.rejected, caughtUp };
}

/** Notification records for the run's posted bills; the run is done. */
export async function finishRun(knex: Knex, runId: number): Promise<{ notifications: number }> {
  return knex.transaction(async (trx) => {
    const notifications = await notifyBills(trx, { runId });
    await trx('cis.bill_runs')
      .where({ id: runId })
      .update({ status: 'done', finished_at: trx.raw('coalesce(finished_at, now())') });
    return { notifications };
  });
}
