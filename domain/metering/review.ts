import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { calendarDate } from '../accounts/view360.js';
import { conflict, notFound } from './errors.js';
import { averageConsumption, gatherFacts, type MeterRow } from './facts.js';
import { fulfilOrder } from './record.js';
import { judge, loadRules } from './rules.js';
import { resolveTarget } from './target.js';
import { readingById, type ReadingView } from './view.js';
import { fromLitres, toLitres } from './volume.js';

async function lockPending(trx: Knex.Transaction, id: number) {
  const r = await trx('cis.readings').where({ id }).forUpdate().first();
  if (!r) throw notFound('reading', String(id));
  if (r.status !== 'pending') throw conflict('not_pending', `reading ${id} is ${r.status}, not pending`, 'readingId');
  return r;
}

/** 确认: the clerk accepts a pending reading as it stands (the rule's doubt is answered). */
export async function confirmReading(trx: Knex.Transaction, ctx: ChangeContext, id: number): Promise<ReadingView> {
  const r = await lockPending(trx, id);
  await trx('cis.readings').where({ id }).update({ status: 'accepted' });
  await writeAudit(trx, ctx, [
    {
      action: 'confirmed',
      entity: 'reading',
      entityId: id,
      accountId: r.account_id,
      before: { status: 'pending', failedRule: r.failed_rule },
      after: { status: 'accepted' },
    },
  ]);
  return (await readingById(trx, id))!;
}

/** 更正: the clerk's corrected value replaces the pending one and is accepted; consumption is computed again. */
export async function correctReading(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  id: number,
  input: { reading: string; note: string },
): Promise<ReadingView> {
  const r = await lockPending(trx, id);
  const meter: MeterRow | null = r.meter_id
    ? await trx('cis.meters').where({ id: r.meter_id }).first('id', 'serial', 'digits', 'initial_reading', 'caliber_mm')
    : null;
  const facts = await gatherFacts(trx, r.account_id, meter, toLitres(input.reading), calendarDate(r.period)!);
  const verdict = judge(facts, await loadRules(trx));
  const after = {
    reading: input.reading,
    consumption: fromLitres(verdict.consumption),
    previous_id: facts.previousId,
    previous_reading: fromLitres(facts.baseline),
    status: 'accepted',
    note: [r.note, `corrected from ${r.reading}`, input.note, ...verdict.notes].filter(Boolean).join('; '),
  };
  await trx('cis.readings').where({ id }).update(after);
  await writeAudit(trx, ctx, [
    {
      action: 'corrected',
      entity: 'reading',
      entityId: id,
      accountId: r.account_id,
      before: { reading: r.reading, consumption: r.consumption, status: 'pending', failedRule: r.failed_rule },
      after,
    },
  ]);
  return (await readingById(trx, id))!;
}

/**
 * 估抄: an estimated reading for the account's period — previous reading plus the average consumption of its
 * recent real readings — flagged `estimated`, source 'estimate', accepted. A pending reading of that period is
 * rejected in its favour. The next real reading counts from the estimate, which trues it up.
 */
export async function estimateReading(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  input: { accountNo: string; period: string; note: string },
): Promise<ReadingView> {
  const { account, meter } = await resolveTarget(trx, { accountNo: input.accountNo });
  const live = await trx('cis.readings')
    .where({ account_id: account.id, period: input.period })
    .whereIn('status', ['pending', 'accepted'])
    .modify((q) => (meter ? q.where({ meter_id: meter.id }) : q.whereNull('meter_id')))
    .first('id', 'status', 'reading');
  if (live?.status === 'accepted')
    throw conflict(
      'already_read',
      `account ${account.account_no} already has an accepted reading for ${input.period.slice(0, 7)}`,
      'period',
    );
  if (live) {
    await trx('cis.readings').where({ id: live.id }).update({ status: 'rejected' });
    await writeAudit(trx, ctx, [
      {
        action: 'rejected',
        entity: 'reading',
        entityId: live.id,
        accountId: account.id,
        before: { status: 'pending', reading: live.reading },
        after: { status: 'rejected', reason: 'estimated instead' },
      },
    ]);
  }
  const facts = await gatherFacts(trx, account.id, meter, 0);
  const average = await averageConsumption(trx, account.id);
  const row = {
    account_id: account.id,
    meter_id: meter?.id ?? null,
    book_id: account.book_id,
    period: input.period,
    read_at: trx.fn.now(),
    reading: fromLitres(facts.baseline + average),
    consumption: fromLitres(average),
    source: 'estimate',
    estimated: true,
    status: 'accepted',
    reader: ctx.actor,
    note: input.note,
    previous_id: facts.previousId,
    previous_reading: fromLitres(facts.baseline),
  };
  const [{ id }] = await trx('cis.readings').insert(row).returning('id');
  await fulfilOrder(trx, account.id, input.period, id);
  await writeAudit(trx, ctx, [
    { action: 'estimated', entity: 'reading', entityId: id, accountId: account.id, after: { ...row, read_at: 'now' } },
  ]);
  return (await readingById(trx, id))!;
}
