import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { MeteringError, notFound } from './errors.js';
import { calendarDate } from '../accounts/view360.js';

export interface CycleView {
  cycleId: number;
  bookCode: string;
  period: string;
  deadline: string;
  status: 'open' | 'closed';
  orders: number;
}

export interface CycleProgress {
  total: number;
  read: number;
  open: number;
  missed: number;
  pending: number;
  /** Every order has a reading (pending ones included: they go to the clerks). */
  bookRead: boolean;
}

/** A doubtful or missing reading of a cycle, as the clerk's review task shows it. */
export interface CycleException {
  kind: 'pending' | 'missed';
  readingId: number | null;
  accountNo: string;
  meterSerial: string | null;
  seq: number;
  reading: string | null;
  previousReading: string | null;
  consumption: string | null;
  failedRule: string | null;
  problem: string | null;
}

async function cycleRow(db: Knex | Knex.Transaction, id: number) {
  const row = await db('cis.reading_cycles as c')
    .join('cis.meter_books as b', 'b.id', 'c.book_id')
    .where('c.id', id)
    .first('c.*', 'b.code');
  if (!row) throw notFound('reading cycle', String(id));
  return row;
}

function view(row: Record<string, unknown>, orders: number): CycleView {
  return {
    cycleId: Number(row.id),
    bookCode: row.code as string,
    period: calendarDate(row.period as Date)!,
    deadline: new Date(row.deadline as Date).toISOString(),
    status: row.status as CycleView['status'],
    orders,
  };
}

/**
 * 抄表计划: the cycle of a book for a period and its reading orders, one per active account in route order
 * (already read ones are marked read). Idempotent by (book, period): opening again returns the same cycle.
 */
export async function openCycle(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  input: { bookCode: string; period: string; deadline: string },
): Promise<CycleView> {
  const book = await trx('cis.meter_books').where({ code: input.bookCode }).first('id');
  if (!book)
    throw new MeteringError(422, 'invalid', `bookCode: meter book ${input.bookCode} does not exist`, 'bookCode');
  const [created] = await trx('cis.reading_cycles')
    .insert({
      book_id: book.id,
      period: input.period,
      deadline: input.deadline,
      process_instance_key: ctx.processInstanceKey ?? null,
    })
    .onConflict(['book_id', 'period'])
    .ignore()
    .returning('id');
  const cycle =
    created ?? (await trx('cis.reading_cycles').where({ book_id: book.id, period: input.period }).first('id'));
  if (created) {
    await trx.raw(
      `INSERT INTO cis.reading_orders (cycle_id, account_id, meter_id, seq, status, reading_id)
       SELECT :cycle, a.id, m.id, a.book_seq, CASE WHEN r.id IS NULL THEN 'open' ELSE 'read' END, r.id
         FROM cis.accounts a
         LEFT JOIN LATERAL (SELECT id FROM cis.meters WHERE account_id = a.id AND status = 'in_service'
                             ORDER BY id DESC LIMIT 1) m ON true
         LEFT JOIN LATERAL (SELECT id FROM cis.readings WHERE account_id = a.id AND period = :period
                               AND status IN ('pending', 'accepted') ORDER BY id DESC LIMIT 1) r ON true
        WHERE a.book_id = :book AND a.status = 'active'
        ORDER BY a.book_seq
       ON CONFLICT (cycle_id, account_id) DO NOTHING`,
      { cycle: cycle.id, period: input.period, book: book.id },
    );
  }
  const orders = Number((await trx('cis.reading_orders').where({ cycle_id: cycle.id }).count('* as n').first())?.n);
  if (created)
    await writeAudit(trx, ctx, [
      { action: 'opened', entity: 'reading_cycle', entityId: cycle.id, after: { ...input, orders } },
    ]);
  return view(await cycleRow(trx, cycle.id), orders);
}

export async function cycleProgress(db: Knex | Knex.Transaction, cycleId: number): Promise<CycleProgress> {
  const cycle = await cycleRow(db, cycleId);
  const counts = await db('cis.reading_orders')
    .where({ cycle_id: cycleId })
    .select(
      db.raw('count(*)::int AS total'),
      db.raw(`count(*) FILTER (WHERE status = 'read')::int AS read`),
      db.raw(`count(*) FILTER (WHERE status = 'open')::int AS open`),
      db.raw(`count(*) FILTER (WHERE status = 'missed')::int AS missed`),
    )
    .first();
  const pending = await db('cis.readings')
    .where({ period: cycle.period, status: 'pending' })
    .whereIn('account_id', db('cis.reading_orders').where({ cycle_id: cycleId }).select('account_id'))
    .count('* as n')
    .first();
  return { ...counts, pending: Number(pending?.n ?? 0), bookRead: counts.open === 0 };
}

/**
 * The window is over (book read or deadline passed): open orders become missed, and the doubtful readings and
 * missed meters are listed in route order for the clerks.
 */
export async function closeWindow(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  cycleId: number,
): Promise<CycleException[]> {
  const cycle = await cycleRow(trx, cycleId);
  const missed = await trx('cis.reading_orders')
    .where({ cycle_id: cycleId, status: 'open' })
    .update({ status: 'missed' })
    .returning('account_id');
  if (missed.length)
    await writeAudit(trx, ctx, [
      { action: 'orders_missed', entity: 'reading_cycle', entityId: cycleId, after: { missed: missed.length } },
    ]);
  const { rows } = await trx.raw(
    `SELECT o.seq, a.account_no, m.serial, o.status AS order_status,
            r.id, r.reading, r.previous_reading, r.consumption, r.failed_rule, r.problem
       FROM cis.reading_orders o
       JOIN cis.accounts a ON a.id = o.account_id
       LEFT JOIN cis.meters m ON m.id = o.meter_id
       LEFT JOIN LATERAL (SELECT * FROM cis.readings r WHERE r.account_id = o.account_id AND r.period = :period
                            AND r.status = 'pending' ORDER BY r.id DESC LIMIT 1) r ON true
      WHERE o.cycle_id = :cycle AND (o.status = 'missed' OR r.id IS NOT NULL)
      ORDER BY o.seq`,
    { cycle: cycleId, period: cycle.period },
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of the statement above
  return rows.map((r: any) => ({
    kind: r.id ? 'pending' : 'missed',
    readingId: r.id ? Number(r.id) : null,
    accountNo: r.account_no,
    meterSerial: r.serial ?? null,
    seq: r.seq,
    reading: r.reading ?? null,
    previousReading: r.previous_reading ?? null,
    consumption: r.consumption ?? null,
    failedRule: r.failed_rule ?? null,
    problem: r.problem ?? null,
  }));
}

export async function finishCycle(trx: Knex.Transaction, ctx: ChangeContext, cycleId: number) {
  const before = await cycleRow(trx, cycleId);
  if (before.status !== 'closed') {
    await trx('cis.reading_cycles').where({ id: cycleId }).update({ status: 'closed', closed_at: trx.fn.now() });
    await writeAudit(trx, ctx, [
      {
        action: 'closed',
        entity: 'reading_cycle',
        entityId: cycleId,
        before: { status: before.status },
        after: { status: 'closed' },
      },
    ]);
  }
  return { ...(await cycleProgress(trx, cycleId)), status: 'closed' as const };
}

export async function getCycle(db: Knex, cycleId: number): Promise<CycleView & { progress: CycleProgress }> {
  const row = await cycleRow(db, cycleId);
  const progress = await cycleProgress(db, cycleId);
  return { ...view(row, progress.total), progress };
}
