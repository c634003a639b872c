import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { computeChunk } from './compute-sql.js';
import { notFound } from './errors.js';
import { isoDate } from './tariffs.js';

export interface ReviewItem {
  billId: number;
  accountNo: string;
  volume: string;
  amountFen: number;
}

/**
 * Computes the run's bills chunk by chunk (an id range of accounts per statement and transaction), recording
 * accounts done after each. Safe to repeat: already billed accounts are skipped, so a redelivered job
 * carries on where the last one stopped.
 */
export async function computeRun(
  knex: Knex,
  runId: number,
  opts: { chunkSize?: number; concurrency?: number; reviewThresholdFen?: number | null; ctx?: ChangeContext } = {},
): Promise<{ total: number; withoutTariff: number; skippedPrepaid: number; review: ReviewItem[] }> {
  const run = await knex('cis.bill_runs').where({ id: runId }).first();
  if (!run) throw notFound('bill run', runId);
  const period = isoDate(run.period);
  const threshold = run.review_threshold_fen ?? opts.reviewThresholdFen ?? null;
  if (!['posting', 'done'].includes(run.status)) {
    const {
      rows: [range],
    } = await knex.raw(
      `SELECT min(account_id)::bigint AS lo, max(account_id)::bigint AS hi, count(DISTINCT account_id)::int AS total
       FROM cis.readings WHERE period = ? AND status = 'accepted'`,
      [period],
    );
    await knex('cis.bill_runs')
      .where({ id: runId })
      .update({
        status: 'computing',
        review_threshold_fen: threshold,
        accounts_total: range.total,
        accounts_done: 0,
        accounts_without_tariff: 0,
        accounts_prepaid_skipped: 0,
        compute_started_at: knex.raw('coalesce(compute_started_at, now())'),
      });
    const chunk = opts.chunkSize ?? 50_000;
    const starts: number[] = [];
    for (let lo = Number(range.lo); range.total > 0 && lo <= Number(range.hi); lo += chunk) starts.push(lo);
    // Chunks are independent (disjoint account ranges, ON CONFLICT on the current-bill index), so a few run
    // side by side on their own connections; each adds its accounts to the run's progress as it commits.
    const lanes = Array.from({ length: Math.min(opts.concurrency ?? 2, starts.length) }, async () => {
      for (let lo = starts.shift(); lo !== undefined; lo = starts.shift()) {
        const from = lo;
        await knex.transaction(async (trx) => {
          await trx.raw(`SET LOCAL work_mem = '64MB'`);
          const r = await computeChunk(trx, {
            runId,
            period,
            lo: from,
            hi: from + chunk - 1,
            reviewThresholdFen: threshold,
          });
          await trx('cis.bill_runs')
            .where({ id: runId })
            .update({
              accounts_done: trx.raw('least(accounts_done + ?, accounts_total)', [r.accounts]),
              accounts_without_tariff: trx.raw('accounts_without_tariff + ?', [r.withoutTariff]),
              accounts_prepaid_skipped: trx.raw('accounts_prepaid_skipped + ?', [r.prepaidSkipped]),
            });
        });
      }
    });
    await Promise.all(lanes);
    const review = await knex('cis.bills').where({ run_id: runId, status: 'review' }).count('* as n').first();
    await knex('cis.bill_runs')
      .where({ id: runId })
      .update({ status: 'reviewing', computed_at: knex.fn.now(), bills_for_review: Number(review?.n ?? 0) });
    const after = await knex('cis.bill_runs').where({ id: runId }).first();
    await knex.transaction((trx) =>
      writeAudit(trx, opts.ctx ?? { actor: 'system' }, [
        {
          action: 'computed',
          entity: 'bill_run',
          entityId: runId,
          after: {
            accounts: after.accounts_total,
            withoutTariff: after.accounts_without_tariff,
            skippedPrepaid: after.accounts_prepaid_skipped,
            forReview: after.bills_for_review,
          },
        },
      ]),
    );
  }
  const after = await knex('cis.bill_runs').where({ id: runId }).first();
  return {
    total: after.accounts_total ?? 0,
    withoutTariff: after.accounts_without_tariff,
    skippedPrepaid: after.accounts_prepaid_skipped,
    review: await reviewList(knex, runId),
  };
}

/** Bills of a run waiting for review, largest first. */
export async function reviewList(knex: Knex, runId: number): Promise<ReviewItem[]> {
  const rows = await knex('cis.bills as b')
    .join('cis.accounts as a', 'a.id', 'b.account_id')
    .where({ 'b.run_id': runId, 'b.status': 'review' })
    .orderBy([{ column: 'b.amount_fen', order: 'desc' }, 'b.id'])
    .select('b.id', 'a.account_no', 'b.volume', 'b.amount_fen');
  return rows.map((r) => ({
    billId: Number(r.id),
    accountNo: r.account_no,
    volume: r.volume,
    amountFen: Number(r.amount_fen),
  }));
}
