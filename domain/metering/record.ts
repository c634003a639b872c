import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict } from './errors.js';
import { gatherFacts } from './facts.js';
import { judge, loadRules } from './rules.js';
import { periodAt } from './settings.js';
import type { ReadingInputValue } from './schemas.js';
import { resolveTarget, type Target } from './target.js';
import { readingById, type ReadingView } from './view.js';
import { fromLitres, toLitres } from './volume.js';

/** The meter's (or meterless account's) live reading for a period: at most one is pending or accepted. */
async function sameperiod(trx: Knex.Transaction, t: Target, period: string) {
  const q = trx('cis.readings').where({ period }).whereIn('status', ['pending', 'accepted']);
  return (
    t.meter ? q.where({ meter_id: t.meter.id }) : q.where({ account_id: t.account.id }).whereNull('meter_id')
  ).first('id', 'status', 'reading', 'source', 'read_at', 'account_id', 'period');
}

/** Marks the account's reading order of that period read (whatever channel the reading came by). */
export async function fulfilOrder(
  trx: Knex.Transaction,
  accountId: string,
  period: string,
  readingId: number | string,
) {
  await trx('cis.reading_orders')
    .where({ account_id: accountId })
    .whereIn('status', ['open', 'missed'])
    .whereIn('cycle_id', trx('cis.reading_cycles').where({ period }).select('id'))
    .update({ status: 'read', reading_id: readingId });
}

/**
 * A remote meter reports several times a month: a later frame of a period replaces the accepted remote reading
 * of that period — unless a later reading already counts from it or the period is billed (then the change is a
 * correction's job, which names the bill to re-issue).
 */
async function replacesFrame(
  trx: Knex.Transaction,
  existing: { id: string; source: string; read_at: Date; account_id: string; period: Date },
  source: string,
  readAt: string | undefined,
): Promise<boolean> {
  if (source !== 'remote' || existing.source !== 'remote') return false;
  const at = readAt ? new Date(readAt) : new Date();
  if (at <= new Date(existing.read_at)) return false;
  const follower = await trx('cis.readings')
    .where({ previous_id: existing.id })
    .whereIn('status', ['pending', 'accepted'])
    .first('id');
  const bill = await trx('cis.bills')
    .where({ account_id: existing.account_id, period: existing.period })
    .whereNotIn('status', ['reversed', 'rejected'])
    .first('id');
  return !follower && !bill;
}

export interface RecordOptions {
  importId?: number;
  /** Source other than the channels a client may name ('estimate'). */
  source?: string;
}

/**
 * Records one reading inside the caller's transaction: consumption against the previous accepted reading
 * (or the meter's initial reading, or across a replacement), the rules (cis.reading_rules) decide accepted
 * or pending with the failed rule. A pending reading of the same period is superseded by the new one; an
 * accepted one is a 409 (`already_read`): corrections go through the review operations.
 */
export async function recordReading(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  v: ReadingInputValue,
  opts: RecordOptions = {},
): Promise<ReadingView & { duplicate?: boolean }> {
  const source = opts.source ?? v.source;
  if (v.externalRef) {
    const seen = await trx('cis.readings').where({ source, external_ref: v.externalRef }).first('id');
    if (seen) return { ...(await readingById(trx, seen.id))!, duplicate: true };
  }
  const target = await resolveTarget(trx, v);
  // The month of the reading time in the utility's time zone (00:30 on the 1st in China is not last month).
  const period = v.period ?? (await periodAt(trx, v.readAt));
  const existing = await sameperiod(trx, target, period);
  if (existing?.status === 'accepted' && (await replacesFrame(trx, existing, source, v.readAt))) {
    await trx('cis.readings').where({ id: existing.id }).update({ status: 'superseded' });
    await writeAudit(trx, ctx, [
      {
        action: 'superseded',
        entity: 'reading',
        entityId: existing.id,
        accountId: target.account.id,
        before: { status: 'accepted', reading: existing.reading, readAt: existing.read_at },
        after: { status: 'superseded', reason: 'a later remote frame of the period', readAt: v.readAt ?? 'now' },
      },
    ]);
  } else if (existing?.status === 'accepted')
    throw conflict(
      'already_read',
      `${target.meter?.serial ?? target.account.account_no} already has an accepted reading for ${period.slice(0, 7)}`,
      'period',
    );
  if (existing?.status === 'pending') {
    await trx('cis.readings').where({ id: existing.id }).update({ status: 'superseded' });
    await writeAudit(trx, ctx, [
      {
        action: 'superseded',
        entity: 'reading',
        entityId: existing.id,
        accountId: target.account.id,
        before: { status: 'pending', reading: existing.reading },
        after: { status: 'superseded' },
      },
    ]);
  }

  const litres = toLitres(v.reading);
  const facts = await gatherFacts(trx, target.account.id, target.meter, litres, period);
  const verdict = judge(facts, await loadRules(trx));
  const row = {
    account_id: target.account.id,
    meter_id: target.meter?.id ?? null,
    book_id: target.account.book_id,
    period,
    read_at: v.readAt ?? trx.fn.now(),
    reading: v.reading,
    consumption: fromLitres(verdict.consumption),
    source,
    estimated: false,
    status: verdict.failedRule ? 'pending' : 'accepted',
    reader: v.reader ?? ctx.actor,
    note: [v.note, ...verdict.notes].filter(Boolean).join('; '),
    previous_id: facts.previousId,
    previous_reading: fromLitres(facts.baseline),
    failed_rule: verdict.failedRule,
    problem: verdict.problem,
    external_ref: v.externalRef ?? null,
    import_id: opts.importId ?? null,
  };
  const [{ id }] = await trx('cis.readings').insert(row).returning('id');
  await fulfilOrder(trx, target.account.id, period, id);
  await writeAudit(trx, ctx, [
    {
      action: 'recorded',
      entity: 'reading',
      entityId: id,
      accountId: target.account.id,
      after: { ...row, read_at: v.readAt ?? 'now', meterSerial: target.meter?.serial ?? null },
    },
  ]);
  return (await readingById(trx, id))!;
}
