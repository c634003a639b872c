import type { Knex } from 'knex';
import type { RunView } from '../../contracts/billing.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict, notFound } from './errors.js';
import type { Row } from './rows.js';
import { parse, StartRunInput } from './schemas.js';
import { isoDate } from './tariffs.js';

export type { RunView };

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
    skippedPrepaid: r.accounts_prepaid_skipped,
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
