import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict, notFound } from './errors.js';
import type { Row } from './rows.js';
import { parse, TariffInput } from './schemas.js';

export interface TariffView {
  id: number;
  code: string;
  name: string;
  customerClass: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  householdBase: number;
  /** Per mille a day of the open part of the base, at most capPct of the base; base 'water': water-charge components only. */
  lateFee: { perMillePerDay: string; capPct: string; base: 'water' | 'all' };
  paymentDays: number;
  /** Half-up to the fen per bill line, or once on the bill's total (a 'rounding' line carries the difference). */
  rounding: 'line' | 'bill';
  /** Annual tier bounds × the months of the year an account is open / 12. */
  prorateAnnual: boolean;
  components: Array<{
    code: string;
    name: string;
    basis: string;
    /** Part of the late-fee base 'water' (the water charge proper, not a levy). */
    waterCharge: boolean;
    /** VAT included in the prices, e.g. '0.0900'. */
    vatRate: string;
    /** Fen per m³, with one decimal where the price has 厘 (345.5 = ¥3.455). */
    tiers: Array<{ tier: number; upTo: string | null; upToPerExtraPerson: string; priceFen: number }>;
  }>;
}

/** A database refusal → the field a 409 names. */
function translate(err: unknown, rangeField = 'effectiveFrom'): never {
  const e = err as { code?: string; constraint?: string };
  if (e?.code === '23P01' && e.constraint === 'tariffs_no_overlap')
    throw conflict('overlap', `${rangeField}: overlaps another version of this customer class`, rangeField);
  if (e?.code === '23505' && e.constraint === 'tariffs_code_key')
    throw conflict('duplicate', 'code: a tariff version with this code exists', 'code');
  throw err;
}

/** A new tariff version with its components and tiers, in one transaction. */
export async function createTariff(knex: Knex, input: unknown, ctx: ChangeContext): Promise<TariffView> {
  const v = parse(TariffInput, input);
  try {
    const id = await knex.transaction(async (trx) => {
      const [{ id }] = await trx('cis.tariffs')
        .insert({
          code: v.code,
          name: v.name,
          customer_class: v.customerClass,
          effective_from: v.effectiveFrom,
          effective_to: v.effectiveTo,
          household_base: v.householdBase,
          late_fee_per_mille: v.lateFee.perMillePerDay,
          late_fee_cap_pct: v.lateFee.capPct,
          late_fee_base: v.lateFee.base,
          payment_days: v.paymentDays,
          rounding: v.rounding,
          prorate_annual: v.prorateAnnual,
          created_by: ctx.actor,
        })
        .returning('id');
      for (const [i, c] of v.components.entries()) {
        const [{ id: componentId }] = await trx('cis.tariff_components')
          .insert({
            tariff_id: id,
            position: i + 1,
            code: c.code,
            name: c.name,
            basis: c.basis,
            water_charge: c.waterCharge,
            vat_rate: c.vatRate,
          })
          .returning('id');
        await trx('cis.tariff_tiers').insert(
          c.tiers.map((t, j) => ({
            component_id: componentId,
            tier: j + 1,
            up_to: t.upTo,
            up_to_per_extra_person: t.upToPerExtraPerson,
            price_fen: t.priceFen,
          })),
        );
      }
      await writeAudit(trx, ctx, [{ action: 'created', entity: 'tariff', entityId: id, after: v }]);
      return id;
    });
    return getTariff(knex, id);
  } catch (err) {
    return translate(err);
  }
}

/** Ends an open version on a date, so that a successor can start the day after. */
export async function endTariff(knex: Knex, id: number, effectiveTo: string, ctx: ChangeContext): Promise<TariffView> {
  try {
    await knex.transaction(async (trx) => {
      const row = await trx('cis.tariffs').where({ id }).forUpdate().first();
      if (!row) throw notFound('tariff', id);
      const from = isoDate(row.effective_from);
      if (effectiveTo < from) throw conflict('invalid_range', 'effectiveTo: is before effectiveFrom', 'effectiveTo');
      await trx('cis.tariffs').where({ id }).update({ effective_to: effectiveTo });
      await writeAudit(trx, ctx, [
        {
          action: 'ended',
          entity: 'tariff',
          entityId: id,
          before: { effectiveTo: row.effective_to ? isoDate(row.effective_to) : null },
          after: { effectiveTo },
        },
      ]);
    });
  } catch (err) {
    return translate(err, 'effectiveTo');
  }
  return getTariff(knex, id);
}

export async function getTariff(knex: Knex, id: number | string): Promise<TariffView> {
  const [view] = await loadTariffs(knex, knex('cis.tariffs').where({ id }));
  if (!view) throw notFound('tariff', id);
  return view;
}

export async function listTariffs(knex: Knex, customerClass?: string): Promise<TariffView[]> {
  const q = knex('cis.tariffs').orderBy(['customer_class', 'effective_from']);
  if (customerClass) q.where({ customer_class: customerClass });
  return loadTariffs(knex, q);
}

async function loadTariffs(knex: Knex, q: Knex.QueryBuilder): Promise<TariffView[]> {
  const rows: Row[] = await q.select('*');
  if (rows.length === 0) return [];
  const components = await knex('cis.tariff_components as c')
    .join('cis.tariff_tiers as t', 't.component_id', 'c.id')
    .whereIn(
      'c.tariff_id',
      rows.map((r) => r.id),
    )
    .orderBy(['c.tariff_id', 'c.position', 't.tier'])
    .select(
      'c.tariff_id',
      'c.code',
      'c.name',
      'c.basis',
      'c.water_charge',
      'c.vat_rate',
      't.tier',
      't.up_to',
      't.up_to_per_extra_person',
      't.price_fen',
    );
  return rows.map((r) => {
    const comps: TariffView['components'] = [];
    for (const c of components.filter((x) => String(x.tariff_id) === String(r.id))) {
      let comp = comps.find((x) => x.code === c.code);
      if (!comp)
        comps.push(
          (comp = {
            code: c.code,
            name: c.name,
            basis: c.basis,
            waterCharge: c.water_charge,
            vatRate: c.vat_rate,
            tiers: [],
          }),
        );
      comp.tiers.push({
        tier: c.tier,
        upTo: c.up_to,
        upToPerExtraPerson: c.up_to_per_extra_person,
        priceFen: Number(c.price_fen), // numeric(12, 1): exact in a double
      });
    }
    return {
      id: Number(r.id),
      code: r.code,
      name: r.name,
      customerClass: r.customer_class,
      effectiveFrom: isoDate(r.effective_from),
      effectiveTo: r.effective_to ? isoDate(r.effective_to) : null,
      householdBase: r.household_base,
      lateFee: { perMillePerDay: r.late_fee_per_mille, capPct: r.late_fee_cap_pct, base: r.late_fee_base },
      paymentDays: r.payment_days,
      rounding: r.rounding,
      prorateAnnual: r.prorate_annual,
      components: comps,
    };
  });
}

/** A date column as YYYY-MM-DD (pg returns local-midnight Dates). */
export function isoDate(d: Date | string): string {
  if (typeof d === 'string') return d.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
