import type { Knex } from 'knex';
import { z } from 'zod';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { parse } from './schemas.js';

/**
 * Late fees for day `asOf` (and any earlier day missed since a bill's last accrual), set-based:
 *
 * - a bill accrues on each day after its due date while part of it is unpaid: its outstanding part is what
 *   the ledger's allocations (domain/ledger) have not settled of its entry;
 * - the fee's base is the tariff's `late_fee_base`: 'all' components (the whole bill) or 'water', the bill's
 *   lines of components flagged `water_charge` (sewage and water-resource fees are levies). Payments settle a
 *   bill as a whole, so the base's open part is the bill's open part × the base's share of the bill
 *   (base lines / bill amount), kept exact until the day's fee is rounded;
 * - a day's fee is that open part × the tariff's per mille, rounded half-up to the fen once; the fees of a
 *   bill never exceed the tariff's cap (a percentage of the base), the last one is cut to fit;
 * - each (bill, day) accrues once (primary key) with its ledger entry (`late_fee`, ref late-fee:<bill>:<day>),
 *   so running the same day again adds nothing. A missed day is charged at today's outstanding amount.
 */
const SQL = `
WITH due AS (
  SELECT b.id, o.outstanding, t.late_fee_per_mille, b.amount_fen, base.fen AS base_fen,
         floor(base.fen * t.late_fee_cap_pct / 100) - coalesce(a.accrued, 0) AS room,
         greatest(b.due_date, a.last_day) AS after_day
  FROM cis.bills b
  JOIN cis.tariffs t ON t.id = b.tariff_id
  JOIN cis.ledger_entries e ON e.bill_id = b.id AND e.kind = 'bill'
  CROSS JOIN LATERAL (
    SELECT CASE WHEN t.late_fee_base = 'all' THEN b.amount_fen ELSE (
      SELECT coalesce(sum(l.amount_fen), 0) FROM cis.bill_lines l
      JOIN cis.tariff_components c ON c.tariff_id = b.tariff_id AND c.code = l.component
      WHERE l.bill_id = b.id AND c.water_charge
    ) END AS fen
  ) base
  CROSS JOIN LATERAL (
    SELECT -e.amount_fen - coalesce(sum(x.amount_fen), 0) AS outstanding FROM cis.allocations x WHERE x.debit_entry_id = e.id
  ) o
  LEFT JOIN LATERAL (
    SELECT sum(x.amount_fen) AS accrued, max(x.day) AS last_day FROM cis.late_fee_accruals x WHERE x.bill_id = b.id
  ) a ON true
  WHERE b.status = 'posted' AND b.amount_fen > 0 AND b.due_date < CAST(:asOf AS date)
),
days AS (
  SELECT d.id, g.day::date AS day, d.outstanding, d.room,
         round(d.outstanding * d.base_fen * d.late_fee_per_mille / (d.amount_fen * 1000)) AS fee,
         row_number() OVER (PARTITION BY d.id ORDER BY g.day) AS n
  FROM due d
  CROSS JOIN LATERAL generate_series(d.after_day + 1, CAST(:asOf AS date), interval '1 day') AS g(day)
  WHERE d.outstanding > 0 AND d.room > 0 AND d.late_fee_per_mille > 0
),
accrued AS (
  INSERT INTO cis.late_fee_accruals (bill_id, day, outstanding_fen, amount_fen)
  SELECT id, day, outstanding, least(fee, room - fee * (n - 1)) FROM days WHERE least(fee, room - fee * (n - 1)) > 0
  ON CONFLICT (bill_id, day) DO NOTHING
  RETURNING bill_id, day, amount_fen
),
entries AS (
  INSERT INTO cis.ledger_entries (account_id, kind, amount_fen, ref, bill_id)
  SELECT b.account_id, 'late_fee', -a.amount_fen, 'late-fee:' || a.bill_id || ':' || to_char(a.day, 'YYYY-MM-DD'), a.bill_id
  FROM accrued a JOIN cis.bills b ON b.id = a.bill_id
  ON CONFLICT (kind, ref) WHERE kind IN ('bill', 'bill_reversal', 'late_fee', 'late_fee_reversal') DO NOTHING
)
SELECT count(*)::int AS accruals, coalesce(sum(amount_fen), 0)::bigint AS amount FROM accrued`;

const AsOf = z.object({ asOf: z.iso.date() });

/** The day's late fees; one audit row per accrual (the rows themselves say which bills and days). */
export async function accrueLateFees(
  knex: Knex,
  asOfIn: unknown,
  ctx: ChangeContext = { actor: 'system' },
): Promise<{ accruals: number; amountFen: number }> {
  const { asOf } = parse(AsOf, { asOf: asOfIn });
  return knex.transaction(async (trx) => {
    // One accrual at a time: two timers firing together would otherwise race on the same days.
    await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('cis.late_fee_accruals'))`);
    const { rows } = await trx.raw(SQL, { asOf });
    const result = { accruals: rows[0].accruals, amountFen: Number(rows[0].amount) };
    if (result.accruals > 0)
      await writeAudit(trx, ctx, [{ action: 'accrued', entity: 'late_fees', entityId: asOf, after: result }]);
    return result;
  });
}
