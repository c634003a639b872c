import type { Knex } from 'knex';
import { ROUNDING_LINE } from './schemas.js';

export interface ChunkParams {
  /** null: a bill outside any run (a final bill of a demolition or transfer). */
  runId: number | null;
  /** First day of the month billed. */
  period: string;
  /** Account id range, inclusive. */
  lo: number;
  hi: number;
  /** Bills above this amount wait for review; null: none do. */
  reviewThresholdFen: number | null;
  /** A re-bill names the bill it replaces. */
  replacesBillId?: number | null;
}

export interface ChunkResult {
  /** Accounts with accepted readings in the period and the range (billed now, earlier, or without a tariff). */
  accounts: number;
  bills: number;
  withoutTariff: number;
  /** Prepaid (IC-card) accounts: their readings stay for analysis, their charges are the card purchases. */
  prepaidSkipped: number;
}

/**
 * The bill computation, set-based: one statement bills every account of an id range for a period.
 *
 * - volume: the accepted readings' consumption of the period, per account; it may be negative (a true-up below an
 *   estimate), and then the bill is a credit (see below);
 * - tariff: the version of the account's class in force on the period's first day;
 * - household: the size in force on the period's first day (`cis.household_changes`: the latest change effective
 *   by then; before every change, the size the earliest one replaced; without changes `cis.accounts.household_size`);
 * - annual tiers start where the year's earlier current bills left off (`ytd_volume_before`), so a year's
 *   volume spread over several bills climbs the tiers once; monthly and flat components start at 0;
 * - a tier's bounds grow by `up_to_per_extra_person` for each person above the version's household base; monthly
 *   bounds are then × 2 for an account in a bimonthly meter book, × 3 in a quarterly one; annual bounds of a
 *   version with `prorate_annual` are × (months of the year the account is open / 12), rounded to 0.001 m³
 *   (open months: from the month of `opened_at`, or January, to the month of `closed_at`, or December, both
 *   inclusive, in the utility's time zone);
 * - a negative volume is priced on the tiers it comes back down through: annual components on the interval
 *   [ytd + volume, ytd) (the first tier reaching below 0 when the year's balance does), monthly and flat ones on
 *   the first |volume| m³; its lines carry negative volumes and amounts;
 * - a line per component and tier with volume in it, rounded half-up (away from zero: a credit mirrors a bill) to
 *   the fen (numeric round; prices have one decimal of fen, 厘); its VAT part (prices include tax) is
 *   round(amount × rate / (1 + rate)); the bill is the sum of its lines. A tariff rounding per bill rounds the
 *   lines' exact sum (volume × price, exact in numeric) once instead, and a line 'rounding' (no volume, no price,
 *   no VAT) carries the difference to the rounded lines, so the bill is still the sum of its lines.
 * Prepaid (IC-card) accounts are not billed: they pay by card purchase; they are counted, and their readings
 * stay as they are. Accounts with a current bill for the period are left alone, so the statement may run again after a
 * crash or a repeated job and bills only what is missing.
 */
const SQL = `
WITH vol AS (
  SELECT r.account_id, sum(r.consumption) AS volume
  FROM cis.readings r
  WHERE r.period = CAST(:period AS date) AND r.status = 'accepted' AND r.account_id BETWEEN :lo AND :hi
  GROUP BY r.account_id
),
hh AS (
  SELECT DISTINCT ON (h.account_id) h.account_id,
         CASE WHEN h.effective_from <= CAST(:period AS date) THEN h.persons ELSE h.persons_before END AS persons
  FROM cis.household_changes h
  WHERE h.account_id BETWEEN :lo AND :hi
  ORDER BY h.account_id, h.effective_from <= CAST(:period AS date) DESC,
           CASE WHEN h.effective_from <= CAST(:period AS date) THEN h.effective_from END DESC NULLS LAST,
           CASE WHEN h.effective_from <= CAST(:period AS date) THEN h.id END DESC NULLS LAST,
           h.effective_from, h.id
),
acc_all AS (
  SELECT v.account_id, v.volume, hs.size AS household_size, t.id AS tariff_id, t.rounding,
         a.payment_method = 'prepaid_card' AS prepaid,
         CASE WHEN t.household_base > 0 THEN greatest(hs.size - t.household_base, 0) ELSE 0 END AS extra,
         CASE mb.cycle WHEN 'bimonthly' THEN 2 WHEN 'quarterly' THEN 3 ELSE 1 END AS cycle_months,
         -- months of the period's year the account is open (12 unless the version prorates)
         CASE WHEN t.prorate_annual THEN greatest(0,
             least(y.m + 11, coalesce(extract(year FROM a.closed_at AT TIME ZONE y.tz) * 12
                                      + extract(month FROM a.closed_at AT TIME ZONE y.tz) - 1, y.m + 11))
           - greatest(y.m, extract(year FROM a.opened_at AT TIME ZONE y.tz) * 12
                           + extract(month FROM a.opened_at AT TIME ZONE y.tz) - 1) + 1)::int
         ELSE 12 END AS annual_months
  FROM vol v
  JOIN cis.accounts a ON a.id = v.account_id AND a.id BETWEEN :lo AND :hi
  JOIN cis.meter_books mb ON mb.id = a.book_id
  CROSS JOIN (SELECT extract(year FROM CAST(:period AS date)) * 12 AS m,
                     (SELECT s.time_zone FROM cis.metering_settings s) AS tz) y
  LEFT JOIN hh ON hh.account_id = v.account_id
  CROSS JOIN LATERAL (SELECT coalesce(hh.persons, a.household_size) AS size) hs
  LEFT JOIN cis.tariffs t ON t.customer_class = a.customer_class
   AND daterange(t.effective_from, t.effective_to, '[]') @> CAST(:period AS date)
  WHERE NOT EXISTS (
    SELECT 1 FROM cis.bills b
    WHERE b.account_id = v.account_id AND b.period = CAST(:period AS date) AND b.status NOT IN ('reversed', 'rejected')
  )
),
ytd AS (
  SELECT b.account_id, sum(b.volume) AS before
  FROM cis.bills b
  WHERE b.account_id BETWEEN :lo AND :hi AND b.status NOT IN ('reversed', 'rejected')
    AND b.period >= date_trunc('year', CAST(:period AS date)) AND b.period < CAST(:period AS date)
  GROUP BY b.account_id
),
acc AS (
  SELECT acc_all.*, coalesce(ytd.before, 0) AS ytd,
         -- the volume the bill covers, [from, to): annual components from the year's volume before it, the others
         -- from 0; a negative volume covers the same interval downwards (its lines are negative)
         coalesce(ytd.before, 0) + least(acc_all.volume, 0) AS annual_from,
         coalesce(ytd.before, 0) + greatest(acc_all.volume, 0) AS annual_to,
         abs(acc_all.volume) AS month_to, sign(acc_all.volume) AS sgn
  FROM acc_all LEFT JOIN ytd ON ytd.account_id = acc_all.account_id
  WHERE acc_all.tariff_id IS NOT NULL AND NOT acc_all.prepaid
),
tb AS (
  SELECT c.tariff_id, c.position, c.code, c.basis, c.vat_rate, t.tier, t.price_fen, t.up_to,
         t.up_to_per_extra_person AS up_pp,
         lag(t.up_to) OVER w AS lo_to, coalesce(lag(t.up_to_per_extra_person) OVER w, 0) AS lo_pp
  FROM cis.tariff_components c
  JOIN cis.tariff_tiers t ON t.component_id = c.id
  WHERE c.tariff_id IN (SELECT DISTINCT tariff_id FROM acc)
  WINDOW w AS (PARTITION BY c.id ORDER BY t.tier)
),
lines AS MATERIALIZED (
  SELECT acc.account_id, (tb.position * 10 + tb.tier)::smallint AS line_no, tb.code, tb.tier, tb.price_fen, q.vol,
         m.amount_fen,
         -- the VAT rate only where there is one (NULL takes no room in a million lines); new_lines applies it
         nullif(tb.vat_rate, 0) AS vat_rate,
         -- the exact amount only where the bill is rounded as a whole: a million lines carry no extra numeric
         CASE WHEN acc.rounding = 'bill' THEN q.vol * tb.price_fen END AS exact
  FROM acc
  JOIN tb ON tb.tariff_id = acc.tariff_id
  CROSS JOIN LATERAL (
    -- the bounds × mul / div: the book's cycle (monthly basis), the open months of the year / 12 (annual)
    SELECT CASE tb.basis WHEN 'monthly' THEN acc.cycle_months WHEN 'annual' THEN acc.annual_months ELSE 1 END AS mul,
           CASE tb.basis WHEN 'annual' THEN 12 ELSE 1 END AS div,
           CASE WHEN tb.basis = 'annual' THEN acc.annual_from ELSE 0 END AS from_v,
           CASE WHEN tb.basis = 'annual' THEN acc.annual_to ELSE acc.month_to END AS to_v
  ) f
  CROSS JOIN LATERAL (
    SELECT coalesce(CASE WHEN f.mul = f.div THEN tb.lo_to + tb.lo_pp * acc.extra
                         ELSE round((tb.lo_to + tb.lo_pp * acc.extra) * f.mul / f.div, 3) END,
                    least(0, f.from_v)) AS lower,
           CASE WHEN f.mul = f.div THEN tb.up_to + tb.up_pp * acc.extra
                ELSE round((tb.up_to + tb.up_pp * acc.extra) * f.mul / f.div, 3) END AS upper
  ) b
  CROSS JOIN LATERAL (
    SELECT acc.sgn * greatest(0, least(f.to_v, coalesce(b.upper, f.to_v)) - greatest(f.from_v, b.lower)) AS vol
  ) q
  CROSS JOIN LATERAL (SELECT round(q.vol * tb.price_fen) AS amount_fen) m
  WHERE q.vol <> 0
),
totals AS (
  SELECT account_id, sum(amount_fen) AS line_fen, round(sum(exact)) AS exact_fen FROM lines GROUP BY account_id
),
priced AS (
  SELECT acc.account_id, coalesce(totals.line_fen, 0) AS line_fen,
         coalesce(CASE WHEN acc.rounding = 'bill' THEN totals.exact_fen ELSE totals.line_fen END, 0) AS amount_fen
  FROM acc LEFT JOIN totals ON totals.account_id = acc.account_id
),
new_bills AS (
  INSERT INTO cis.bills (run_id, account_id, period, tariff_id, household_size, volume, ytd_volume_before,
                         amount_fen, status, replaces_bill_id)
  SELECT :runId, acc.account_id, CAST(:period AS date), acc.tariff_id, acc.household_size, acc.volume,
         acc.ytd, p.amount_fen,
         CASE WHEN p.amount_fen > CAST(:threshold AS bigint) THEN 'review' ELSE 'computed' END,
         CAST(:replaces AS bigint)
  FROM acc
  JOIN priced p ON p.account_id = acc.account_id
  ON CONFLICT (account_id, period) WHERE status NOT IN ('reversed', 'rejected') DO NOTHING
  RETURNING id, account_id
),
new_lines AS (
  INSERT INTO cis.bill_lines (bill_id, line_no, component, tier, volume, price_fen, amount_fen, vat_fen)
  SELECT nb.id, l.line_no, l.code, l.tier, l.vol, l.price_fen, l.amount_fen,
         CASE WHEN l.vat_rate IS NULL THEN 0 ELSE round(l.amount_fen * l.vat_rate / (1 + l.vat_rate))::bigint END
  FROM new_bills nb JOIN lines l ON l.account_id = nb.account_id
  UNION ALL
  SELECT nb.id, 999, '${ROUNDING_LINE}', 0, 0, 0, p.amount_fen - p.line_fen, 0
  FROM new_bills nb JOIN priced p ON p.account_id = nb.account_id
  WHERE p.amount_fen <> p.line_fen
)
SELECT (SELECT count(*) FROM vol)::int AS accounts,
       (SELECT count(*) FROM new_bills)::int AS bills,
       (SELECT count(*) FROM acc_all WHERE tariff_id IS NULL AND NOT prepaid)::int AS without_tariff,
       (SELECT count(*) FROM acc_all WHERE prepaid)::int AS prepaid_skipped`;

/** Bills one id range of accounts for a period (see SQL above); the caller owns the transaction. */
export async function computeChunk(db: Knex | Knex.Transaction, p: ChunkParams): Promise<ChunkResult> {
  const { rows } = await db.raw(SQL, {
    runId: p.runId,
    period: p.period,
    lo: p.lo,
    hi: p.hi,
    threshold: p.reviewThresholdFen,
    replaces: p.replacesBillId ?? null,
  });
  return {
    accounts: rows[0].accounts,
    bills: rows[0].bills,
    withoutTariff: rows[0].without_tariff,
    prepaidSkipped: rows[0].prepaid_skipped,
  };
}
