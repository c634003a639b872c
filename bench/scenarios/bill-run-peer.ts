import type { Knex } from '../../db/index.js';

interface Tier {
  upTo: bigint | null; // milli-m³
  perPerson: bigint;
  /** Tenths of a fen (厘): prices have one decimal of fen. */
  priceTenths: bigint;
  priceFen: string;
}
interface Component {
  code: string;
  position: number;
  basis: string;
  tiers: Tier[];
}
interface Tariff {
  id: string;
  householdBase: number;
  components: Component[];
}

const milli = (v: string): bigint => {
  const [i, f = ''] = v.split('.');
  return BigInt(i) * 1000n + BigInt((f + '000').slice(0, 3));
};
const tenths = (v: string): bigint => {
  const [i, f = ''] = v.split('.');
  return BigInt(i) * 10n + BigInt((f + '0').slice(0, 1));
};
const fromMilli = (m: bigint): string => `${m / 1000n}.${String(m % 1000n).padStart(3, '0')}`;
const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/** The tariffs in force on the period's first day, by customer class (loaded once, as a sensible loop would). */
export async function loadTariffs(knex: Knex, period: string): Promise<Map<string, Tariff>> {
  const rows = await knex.raw(
    `SELECT t.id, t.customer_class, t.household_base, c.code, c.position, c.basis, x.up_to, x.up_to_per_extra_person, x.price_fen
     FROM cis.tariffs t JOIN cis.tariff_components c ON c.tariff_id = t.id JOIN cis.tariff_tiers x ON x.component_id = c.id
     WHERE daterange(t.effective_from, t.effective_to, '[]') @> ?::date ORDER BY t.id, c.position, x.tier`,
    [period],
  );
  const out = new Map<string, Tariff>();
  for (const r of rows.rows) {
    let t = out.get(r.customer_class);
    if (!t) out.set(r.customer_class, (t = { id: r.id, householdBase: r.household_base, components: [] }));
    let c = t.components.find((x) => x.code === r.code);
    if (!c) t.components.push((c = { code: r.code, position: r.position, basis: r.basis, tiers: [] }));
    c.tiers.push({
      upTo: r.up_to === null ? null : milli(r.up_to),
      perPerson: milli(r.up_to_per_extra_person),
      priceTenths: tenths(r.price_fen),
      priceFen: r.price_fen,
    });
  }
  return out;
}

/**
 * The peer: bills one account at a time in TypeScript, as a first version would — read the account, its
 * readings of the period and the year's earlier bills, walk the tiers, insert the bill and its lines; one
 * transaction per account. Returns the amounts it billed, by account id.
 */
export async function billAccountByAccount(
  knex: Knex,
  accountIds: number[],
  period: string,
  runId: number,
  tariffs: Map<string, Tariff>,
): Promise<Map<number, number>> {
  const yearStart = `${period.slice(0, 4)}-01-01`;
  const amounts = new Map<number, number>();
  for (const id of accountIds) {
    await knex.transaction(async (trx) => {
      const a = await trx('cis.accounts').where({ id }).first('customer_class', 'household_size', 'payment_method');
      const readings = await trx('cis.readings')
        .where({ account_id: id, period, status: 'accepted' })
        .select('consumption');
      const tariff = tariffs.get(a.customer_class);
      // prepaid (IC-card) accounts pay by card purchase: not billed
      if (readings.length === 0 || !tariff || a.payment_method === 'prepaid_card') return;
      const earlier = await trx('cis.bills')
        .where({ account_id: id })
        .where('period', '>=', yearStart)
        .where('period', '<', period)
        .whereNotIn('status', ['reversed', 'rejected'])
        .select('volume');
      const volume = readings.reduce((s, r) => s + milli(r.consumption), 0n);
      const ytd = earlier.reduce((s, r) => s + milli(r.volume), 0n);
      const extra = BigInt(tariff.householdBase > 0 ? Math.max(a.household_size - tariff.householdBase, 0) : 0);
      const lines: Array<Record<string, unknown>> = [];
      for (const c of tariff.components) {
        const start = c.basis === 'annual' ? ytd : 0n;
        let lower = 0n;
        c.tiers.forEach((t, i) => {
          const upper = t.upTo === null ? null : t.upTo + t.perPerson * extra;
          const vol = max(0n, min(start + volume, upper ?? start + volume) - max(start, lower));
          if (upper !== null) lower = upper;
          if (vol <= 0n) return;
          const amount = (vol * t.priceTenths + 5000n) / 10000n; // half-up to the fen
          lines.push({
            line_no: c.position * 10 + i + 1,
            component: c.code,
            tier: i + 1,
            volume: fromMilli(vol),
            price_fen: t.priceFen,
            amount_fen: Number(amount),
          });
        });
      }
      const total = lines.reduce((s, l) => s + (l.amount_fen as number), 0);
      const [bill] = await trx('cis.bills')
        .insert({
          run_id: runId,
          account_id: id,
          period,
          tariff_id: tariff.id,
          household_size: a.household_size,
          volume: fromMilli(volume),
          ytd_volume_before: fromMilli(ytd),
          amount_fen: total,
          status: 'computed',
        })
        .returning('id');
      if (lines.length) await trx('cis.bill_lines').insert(lines.map((l) => ({ ...l, bill_id: bill.id })));
      amounts.set(id, total);
    });
  }
  return amounts;
}
