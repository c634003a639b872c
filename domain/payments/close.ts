import type { Knex } from 'knex';
import type { DailyClose, MethodTotal } from '../../contracts/payments.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict, notFound } from './errors.js';
import { businessDay } from './settings.js';

type Db = Knex | Knex.Transaction;

interface SessionRow {
  id: string;
  cashier: string;
  day: string;
  opened_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
}

/**
 * A cashier's day: payments by method, the reversals taken back the same day, the forms used (as ranges per
 * type and series), voided and print-failed, and the cash to hand over (cash taken less cash given back).
 */
async function summarize(db: Db, session: SessionRow): Promise<DailyClose> {
  const id = Number(session.id);
  const { rows: methods } = await db.raw(
    `SELECT p.method, count(*)::int AS count, sum(p.amount_fen)::bigint AS amount,
            count(r.payment_id)::int AS reversed_count, coalesce(sum(p.amount_fen) FILTER (WHERE r.payment_id IS NOT NULL), 0)::bigint AS reversed
     FROM (SELECT id, method, amount_fen, session_id, true AS ledger FROM cis.payments WHERE session_id = :id
           -- a new connection's fees (业务收费) are taken in the same till before any account exists
           UNION ALL SELECT id, method, amount_fen, session_id, false FROM cis.case_fee_payments WHERE session_id = :id) p
     LEFT JOIN cis.payment_reversals r ON p.ledger AND r.payment_id = p.id AND r.session_id = p.session_id
     GROUP BY p.method ORDER BY p.method`,
    { id },
  );
  const byMethod: MethodTotal[] = methods.map((m: Record<string, string>) => ({
    method: m.method,
    count: Number(m.count),
    amountFen: Number(m.amount),
    reversedCount: Number(m.reversed_count),
    reversedFen: Number(m.reversed),
  }));
  const { rows: ranges } = await db.raw(
    `WITH used AS (
       SELECT DISTINCT r.form_type, r.series, r.form_no, b.digits
       FROM cis.receipts r JOIN cis.receipt_forms f USING (form_type, series, form_no)
       JOIN cis.receipt_blocks b ON b.id = f.block_id
       WHERE r.batch IN (SELECT batch FROM cis.payments WHERE session_id = :id)
     ),
     runs AS (SELECT *, form_no - row_number() OVER (PARTITION BY form_type, series ORDER BY form_no) AS grp FROM used)
     SELECT form_type, series, min(form_no) AS lo, max(form_no) AS hi, count(*)::int AS n, max(digits) AS digits
     FROM runs GROUP BY form_type, series, grp ORDER BY form_type, series, lo`,
    { id },
  );
  const { rows: states } = await db.raw(
    `SELECT e.to_state, count(DISTINCT (e.form_type, e.series, e.form_no))::int AS n
     FROM cis.receipt_form_events e
     WHERE e.cashier = :cashier AND e.to_state IN ('used', 'voided', 'print_failed')
       AND (e.at AT TIME ZONE (SELECT time_zone FROM cis.payment_settings))::date = CAST(:day AS date)
     GROUP BY e.to_state`,
    { cashier: session.cashier, day: session.day },
  );
  const count = (s: string) => Number(states.find((r: { to_state: string }) => r.to_state === s)?.n ?? 0);
  const pad = (n: string, digits: number) => String(n).padStart(digits, '0');
  const totalFen = byMethod.reduce((s, m) => s + m.amountFen - m.reversedFen, 0);
  const cash = byMethod.find((m) => m.method === 'cash');
  return {
    sessionId: id,
    cashier: session.cashier,
    businessDay: session.day,
    openedAt: new Date(session.opened_at).toISOString(),
    closedAt: session.closed_at ? new Date(session.closed_at).toISOString() : null,
    closedBy: session.closed_by ?? null,
    byMethod,
    totalFen,
    cashToHandOverFen: cash ? cash.amountFen - cash.reversedFen : 0,
    forms: {
      ranges: ranges.map((r: Record<string, string>) => ({
        formType: r.form_type,
        series: r.series,
        from: pad(r.lo, Number(r.digits)),
        to: pad(r.hi, Number(r.digits)),
        count: Number(r.n),
      })),
      used: count('used'),
      voided: count('voided'),
      printFailed: count('print_failed'),
    },
  };
}

const SESSION = `SELECT id, cashier, to_char(business_day, 'YYYY-MM-DD') AS day, opened_at, closed_at, closed_by
                 FROM cis.cashier_sessions`;

/** The cashier's day as it stands (before or after the close). */
export async function dailySummary(db: Db, cashier: string, day?: string): Promise<DailyClose> {
  const d = day ?? (await businessDay(db));
  const { rows } = await db.raw(`${SESSION} WHERE cashier = ? AND business_day = ?`, [cashier, d]);
  if (!rows[0]) throw notFound('cashier session', `${cashier} ${d}`);
  return summarize(db, rows[0]);
}

/** 日结: closes the cashier's day; no payment or counter reversal posts on it afterwards. */
export async function closeDay(knex: Knex, cashier: string, ctx: ChangeContext, day?: string): Promise<DailyClose> {
  return knex.transaction(async (trx) => {
    const d = day ?? (await businessDay(trx));
    // waits for the payments in flight on this day (they hold the day's lock shared, db/sql/post-payment.ts)
    await trx.raw('SELECT pg_advisory_xact_lock(cis.cashier_day_lock_key(?, ?))', [cashier, d]);
    const { rows } = await trx.raw(`${SESSION} WHERE cashier = ? AND business_day = ? FOR UPDATE`, [cashier, d]);
    if (!rows[0]) throw notFound('cashier session', `${cashier} ${d}`);
    if (rows[0].closed_at) throw conflict('already_closed', `${cashier} closed ${d} already`);
    await trx('cis.cashier_sessions').where({ id: rows[0].id }).update({
      closed_at: trx.fn.now(),
      closed_by: ctx.actor,
    });
    const closed = { ...rows[0], closed_at: new Date(), closed_by: ctx.actor };
    const summary = await summarize(trx, closed);
    await trx('cis.cashier_sessions')
      .where({ id: rows[0].id })
      .update({ totals: JSON.stringify(summary) });
    await writeAudit(trx, ctx, [
      {
        action: 'closed',
        entity: 'cashier_session',
        entityId: rows[0].id,
        after: { cashier, day: d, totalFen: summary.totalFen },
      },
    ]);
    return summary;
  });
}

/** A manager's view: every cashier's day. */
export async function allCloses(db: Db, day?: string): Promise<DailyClose[]> {
  const d = day ?? (await businessDay(db));
  const { rows } = await db.raw(`${SESSION} WHERE business_day = ? ORDER BY cashier`, [d]);
  const out: DailyClose[] = [];
  for (const r of rows) out.push(await summarize(db, r));
  return out;
}
