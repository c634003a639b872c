import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../accounts/audit.js';
import { computeChunk } from './compute-sql.js';
import { conflict, notFound } from './errors.js';
import type { Row } from './rows.js';
import { notifyBills, postBills } from './posting.js';
import { parse, ReviewDecision, StartRunInput } from './schemas.js';
import { isoDate } from './tariffs.js';

export interface RunView {
  id: number;
  period: string;
  status: string;
  processInstanceKey: string | null;
  startedBy: string;
  startedAt: string;
  reviewThresholdFen: number | null;
  done: number;
  total: number | null;
  withoutTariff: number;
  billsForReview: number;
  billsPosted: number;
  /** Accounts per second since computing began; null before. */
  rate: number | null;
  /** Seconds left at that rate; 0 once computed, null when unknown. */
  etaSeconds: number | null;
  computedAt: string | null;
  finishedAt: string | null;
}

export interface ReviewItem {
  billId: number;
  accountNo: string;
  volume: string;
  amountFen: number;
}

/** A run row as the API shows it; rate and ETA from the accounts done since computing began. */
export function view(r: Row, now: Date): RunView {
  const done = r.accounts_done as number;
  const total = r.accounts_total as number | null;
  let rate: number | null = null;
  let eta: number | null = null;
  if (r.compute_started_at) {
    const end = r.computed_at ? new Date(r.computed_at) : now;
    const secs = Math.max((end.getTime() - new Date(r.compute_started_at).getTime()) / 1000, 0.001);
    rate = Math.round((done / secs) * 10) / 10;
    eta = r.computed_at ? 0 : total !== null && rate > 0 ? Math.ceil((total - done) / rate) : null;
  }
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: Number(r.id),
    period: isoDate(r.period).slice(0, 7),
    status: r.status,
    processInstanceKey: r.process_instance_key,
    startedBy: r.started_by,
    startedAt: iso(r.started_at)!,
    reviewThresholdFen: r.review_threshold_fen === null ? null : Number(r.review_threshold_fen),
    done,
    total,
    withoutTariff: r.accounts_without_tariff,
    billsForReview: r.bills_for_review,
    billsPosted: r.bills_posted,
    rate,
    etaSeconds: eta,
    computedAt: iso(r.computed_at),
    finishedAt: iso(r.finished_at),
  };
}

/** A bill run for a period; the period is unique, so a second start is a 409 naming the existing run. */
export async function createRun(knex: Knex, input: unknown, ctx: ChangeContext): Promise<RunView> {
  const v = parse(StartRunInput, input);
  return knex.transaction(async (trx) => {
    const [row] = await trx('cis.bill_runs')
      .insert({ period: v.period, review_threshold_fen: v.reviewThresholdFen ?? null, started_by: ctx.actor })
      .onConflict('period')
      .ignore()
      .returning('*');
    if (!row) {
      const existing = await trx('cis.bill_runs').where({ period: v.period }).first('id');
      throw conflict(
        'run_exists',
        `period: a bill run for ${v.period.slice(0, 7)} exists (run ${existing.id})`,
        'period',
      );
    }
    await writeAudit(trx, ctx, [{ action: 'started', entity: 'bill_run', entityId: row.id, after: v }]);
    return view(row, new Date());
  });
}

export async function setRunInstance(knex: Knex, runId: number, processInstanceKey: string): Promise<void> {
  await knex('cis.bill_runs').where({ id: runId }).update({ process_instance_key: processInstanceKey });
}

/** Drops a run whose process could not be started, so the period can be started again. */
export async function abandonRun(knex: Knex, runId: number): Promise<void> {
  await knex('cis.bill_runs').where({ id: runId, status: 'started' }).whereNull('process_instance_key').delete();
}

export async function getRun(knex: Knex, runId: number): Promise<RunView> {
  const row = await knex('cis.bill_runs').where({ id: runId }).first();
  if (!row) throw notFound('bill run', runId);
  return view(row, new Date());
}

export async function listRuns(knex: Knex, limit = 50): Promise<RunView[]> {
  const rows = await knex('cis.bill_runs').orderBy('period', 'desc').limit(limit);
  const now = new Date();
  return rows.map((r) => view(r, now));
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
): Promise<{ total: number; withoutTariff: number; review: ReviewItem[] }> {
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

/**
 * Applies the reviewers' decisions, then posts every approved bill of the run to the ledger. A decision on a
 * bill no longer waiting for review changes nothing, so the step may be repeated.
 */
export async function postRun(
  knex: Knex,
  runId: number,
  decisions: unknown[],
  asOf: string,
  ctx: ChangeContext,
): Promise<{ posted: number; amountFen: number; rejected: number }> {
  const parsed = decisions.map((d, i) => parse(ReviewDecision, d, `decisions.${i}`));
  return knex.transaction(async (trx) => {
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
    return { posted: posted.bills, amountFen: posted.amountFen, rejected };
  });
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

/**
 * The first step of a bill-run instance: the period's run, created here when the process was started
 * directly (not through the API), and bound to this instance. A run that belongs to another instance is a
 * 409 `run_exists`: the second instance ends without effect.
 */
export async function openRunForInstance(knex: Knex, periodIn: unknown, ctx: ChangeContext): Promise<RunView> {
  const { period } = parse(StartRunInput, { period: periodIn });
  const pi = ctx.processInstanceKey ?? null;
  return knex.transaction(async (trx) => {
    await trx('cis.bill_runs')
      .insert({ period, started_by: ctx.actor, process_instance_key: pi })
      .onConflict('period')
      .ignore();
    const row = await trx('cis.bill_runs').where({ period }).forUpdate().first();
    if (row.process_instance_key && row.process_instance_key !== pi)
      throw conflict(
        'run_exists',
        `period: the run for ${period.slice(0, 7)} belongs to instance ${row.process_instance_key}`,
        'period',
      );
    if (!row.process_instance_key) {
      await trx('cis.bill_runs').where({ id: row.id }).update({ process_instance_key: pi });
      row.process_instance_key = pi;
    }
    return view(row, new Date());
  });
}
