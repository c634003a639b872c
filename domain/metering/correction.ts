import type { Knex } from 'knex';
import type { ReadingCorrection } from '../../contracts/metering.js';
import { writeAudit, type AuditRecord, type ChangeContext } from '../audit/audit.js';
import { MeteringError, conflict, notFound } from './errors.js';
import { loadRules } from './rules.js';
import { meteringSettings } from './settings.js';
import { readingById } from './view.js';
import { fromLitres, meterCapacity, toLitres } from './volume.js';
import { calendarDate } from '../accounts/view360.js';

export type { ReadingCorrection };

const refuse = (code: string, message: string) => new MeteringError(422, code, `reading: ${message}`, 'reading');
const m3 = (litres: number) => `${fromLitres(litres)} m³`;

/** The current bill of an account's period, if the period is billed (a re-bill is then due). */
async function billOf(trx: Knex.Transaction, accountId: string, period: Date | string): Promise<number | null> {
  const bill = await trx('cis.bills')
    .where({ account_id: accountId, period })
    .whereNotIn('status', ['reversed', 'rejected'])
    .first('id');
  return bill ? Number(bill.id) : null;
}

interface Plan {
  reading: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a cis.readings row
  next: Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any -- idem
  delta: number;
  consumptionAfter: number;
  nextConsumptionAfter: number | null;
}

/**
 * What a correction of accepted reading `id` to `value` does, or a refusal. Consumption moves by the same
 * difference as the reading (whatever it counted from: previous reading, estimate, replacement, rollover); the
 * next live reading of the meter (the one that counted from this one) moves by the opposite difference.
 * Refused: below the previous reading unless a plausible rollover or the true-up of an estimate, above the next
 * accepted reading.
 */
async function plan(trx: Knex.Transaction, id: number, value: string): Promise<Plan> {
  const found = await trx('cis.readings').where({ id }).first('account_id');
  if (!found) throw notFound('reading', String(id));
  // Readings of one account are judged one at a time, in order (as recordReading does).
  await trx('cis.accounts').where({ id: found.account_id }).forUpdate().first('id');
  const r = await trx('cis.readings').where({ id }).forUpdate().first();
  if (r.status !== 'accepted')
    throw conflict(
      'not_accepted',
      `reading ${id} is ${r.status}; a pending reading is corrected by its review`,
      'readingId',
    );
  const delta = toLitres(value) - toLitres(r.reading);
  if (delta === 0) throw refuse('unchanged', `the reading is already ${r.reading}`);
  let consumptionAfter = toLitres(r.consumption) + delta;
  if (consumptionAfter < 0 && r.previous_reading != null) {
    const previous = r.previous_id ? await trx('cis.readings').where({ id: r.previous_id }).first('estimated') : null;
    const meter = r.meter_id ? await trx('cis.meters').where({ id: r.meter_id }).first('digits') : null;
    const capacity = meterCapacity(meter?.digits ?? 5);
    const rolled = toLitres(value) + capacity - toLitres(r.previous_reading);
    const rollover = (await loadRules(trx)).rollover;
    const share = typeof rollover.params.maxShare === 'number' ? rollover.params.maxShare : 0.2;
    if (previous?.estimated) {
      // below an estimate: the true-up is a credit, as when the reading was first recorded
    } else if (meter && rollover.enabled && rolled <= share * capacity) consumptionAfter = rolled;
    else
      throw refuse(
        'below_previous',
        `${value} is ${m3(-consumptionAfter)} below the previous reading ${r.previous_reading} and no plausible rollover`,
      );
  } else if (consumptionAfter < 0) {
    throw refuse('below_previous', `${value} would make the consumption ${m3(consumptionAfter)}`);
  }
  const next = await trx('cis.readings')
    .where({ previous_id: id })
    .whereIn('status', ['pending', 'accepted'])
    .orderBy('id', 'desc')
    .forUpdate()
    .first();
  const nextConsumptionAfter = next ? toLitres(next.consumption) - delta : null;
  if (next?.status === 'accepted' && nextConsumptionAfter! < 0)
    throw refuse(
      'above_next',
      `${value} is above the next reading ${next.reading} (${calendarDate(next.period)!.slice(0, 7)}), which would consume ${m3(nextConsumptionAfter!)}`,
    );
  return { reading: r, next, delta, consumptionAfter, nextConsumptionAfter };
}

async function answer(trx: Knex.Transaction, row: Record<string, unknown>, p: Plan): Promise<ReadingCorrection> {
  const billId = await billOf(trx, p.reading.account_id, p.reading.period);
  const nextBill = p.next ? await billOf(trx, p.next.account_id, p.next.period) : null;
  return {
    correctionId: Number(row.id),
    status: row.status as ReadingCorrection['status'],
    readingId: Number(p.reading.id),
    period: calendarDate(p.reading.period)!,
    reason: row.reason as string,
    volumeDifference: fromLitres(p.delta),
    before: { reading: row.reading_before as string, consumption: row.consumption_before as string },
    after: { reading: row.reading_after as string, consumption: row.consumption_after as string },
    next: p.next
      ? {
          readingId: Number(p.next.id),
          period: calendarDate(p.next.period)!,
          before: { consumption: row.next_consumption_before as string },
          after: { consumption: row.next_consumption_after as string },
          billed: nextBill !== null,
          billId: nextBill,
        }
      : null,
    billed: billId !== null,
    billId,
    reading: (await readingById(trx, p.reading.id))!,
  };
}

/** Writes the corrected values of the reading and the next one, with an audit row for each. */
async function apply(trx: Knex.Transaction, ctx: ChangeContext, p: Plan, typed: string, reason: string) {
  const r = p.reading;
  const value = fromLitres(toLitres(typed));
  const after = {
    reading: value,
    consumption: fromLitres(p.consumptionAfter),
    note: [r.note, `corrected from ${r.reading}: ${reason}`].filter(Boolean).join('; '),
  };
  await trx('cis.readings').where({ id: r.id }).update(after);
  const records: AuditRecord[] = [
    {
      action: 'correction_applied',
      entity: 'reading',
      entityId: r.id,
      accountId: r.account_id,
      before: { reading: r.reading, consumption: r.consumption, note: r.note },
      after: { ...after, reason },
    },
  ];
  if (p.next) {
    const nextAfter = { consumption: fromLitres(p.nextConsumptionAfter!), previous_reading: value };
    await trx('cis.readings').where({ id: p.next.id }).update(nextAfter);
    records.push({
      action: 'consumption_recomputed',
      entity: 'reading',
      entityId: p.next.id,
      accountId: p.next.account_id,
      before: { consumption: p.next.consumption, previous_reading: p.next.previous_reading },
      after: nextAfter,
    });
  }
  await writeAudit(trx, ctx, records);
}

/**
 * 更正已接受读数: a clerk corrects an accepted reading with a reason. Within the configured volume difference
 * (cis.metering_settings.correction_approval_m3) it applies at once, the next reading's consumption following;
 * above it the correction is kept as `needs_approval` and nothing changes until a manager approves it.
 */
export async function correctAccepted(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  id: number,
  input: { reading: string; reason: string },
): Promise<ReadingCorrection> {
  const p = await plan(trx, id, input.reading);
  const settings = await meteringSettings(trx);
  const waits = Math.abs(p.delta) > settings.correctionApproval;
  const [row] = await trx('cis.reading_corrections')
    .insert({
      reading_id: p.reading.id,
      account_id: p.reading.account_id,
      status: waits ? 'needs_approval' : 'applied',
      reason: input.reason,
      reading_before: p.reading.reading,
      reading_after: input.reading,
      consumption_before: p.reading.consumption,
      consumption_after: fromLitres(p.consumptionAfter),
      next_reading_id: p.next?.id ?? null,
      next_consumption_before: p.next?.consumption ?? null,
      next_consumption_after: p.next ? fromLitres(p.nextConsumptionAfter!) : null,
      requested_by: ctx.actor,
    })
    .returning('*');
  if (waits)
    await writeAudit(trx, ctx, [
      {
        action: 'correction_requested',
        entity: 'reading',
        entityId: p.reading.id,
        accountId: p.reading.account_id,
        after: {
          correctionId: row.id,
          reading: input.reading,
          reason: input.reason,
          volumeDifference: fromLitres(p.delta),
          threshold: fromLitres(settings.correctionApproval),
        },
      },
    ]);
  else await apply(trx, ctx, p, input.reading, input.reason);
  return answer(trx, row, p);
}

/** A rejected correction changes nothing: its answer shows it as it was requested. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a cis.reading_corrections row
async function asRequested(trx: Knex.Transaction, c: Record<string, any>): Promise<Plan> {
  return {
    reading: await trx('cis.readings').where({ id: c.reading_id }).first(),
    next: c.next_reading_id ? await trx('cis.readings').where({ id: c.next_reading_id }).first() : null,
    delta: toLitres(c.reading_after) - toLitres(c.reading_before),
    consumptionAfter: toLitres(c.consumption_after),
    nextConsumptionAfter: c.next_consumption_after == null ? null : toLitres(c.next_consumption_after),
  };
}

/**
 * A manager's decision on a correction waiting for approval: approve applies it as planned again against the
 * readings as they stand now (a refusal if they moved meanwhile so that it no longer fits); reject closes it.
 */
export async function decideCorrection(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  correctionId: number,
  approve: boolean,
): Promise<ReadingCorrection> {
  const c = await trx('cis.reading_corrections').where({ id: correctionId }).forUpdate().first();
  if (!c) throw notFound('correction', String(correctionId));
  if (c.status !== 'needs_approval')
    throw conflict('not_waiting', `correction ${correctionId} is ${c.status}`, 'correctionId');
  const p = approve ? await plan(trx, Number(c.reading_id), c.reading_after) : await asRequested(trx, c);
  const decided = {
    status: approve ? 'approved' : 'rejected',
    decided_by: ctx.actor,
    decided_at: trx.fn.now(),
    ...(approve
      ? {
          reading_before: p.reading.reading,
          consumption_before: p.reading.consumption,
          consumption_after: fromLitres(p.consumptionAfter),
          next_reading_id: p.next?.id ?? null,
          next_consumption_before: p.next?.consumption ?? null,
          next_consumption_after: p.next ? fromLitres(p.nextConsumptionAfter!) : null,
        }
      : {}),
  };
  const [row] = await trx('cis.reading_corrections').where({ id: correctionId }).update(decided).returning('*');
  if (approve) await apply(trx, ctx, p, c.reading_after, c.reason);
  else
    await writeAudit(trx, ctx, [
      {
        action: 'correction_rejected',
        entity: 'reading',
        entityId: c.reading_id,
        accountId: c.account_id,
        after: { correctionId, status: 'rejected' },
      },
    ]);
  return answer(trx, row, p);
}
