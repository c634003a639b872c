import type { Knex } from 'knex';
import { createTariff } from '../../../domain/billing/tariffs.js';

/**
 * Demo tariffs in force from 2026-01-01 (prices in fen per m³): a three-tier annual residential tariff
 * (0–180, 181–260, >260 m³ a year; households above four persons get 45 and 65 m³ more per extra person on
 * the first two bounds), flat non-residential and special-industry tariffs. Late fee: 1‰ of the
 * outstanding amount a day after the due date, at most the bill's amount, on all components (the water charge
 * is flagged `waterCharge`, so a version charging on it alone changes only `lateFee.base`).
 */
export const DEMO_TARIFFS = [
  {
    code: 'RES-2026',
    name: '居民生活用水 2026',
    customerClass: 'residential',
    effectiveFrom: '2026-01-01',
    householdBase: 4,
    lateFee: { perMillePerDay: '1', capPct: '100' },
    paymentDays: 30,
    components: [
      {
        code: 'water',
        name: '水费',
        basis: 'annual',
        waterCharge: true,
        tiers: [
          { upTo: '180', upToPerExtraPerson: '45', priceFen: 345 },
          { upTo: '260', upToPerExtraPerson: '65', priceFen: 483 },
          { upTo: null, priceFen: 1035 },
        ],
      },
      { code: 'sewage', name: '污水处理费', basis: 'flat', priceFen: 95 },
      { code: 'resource', name: '水资源费', basis: 'flat', priceFen: 20 },
    ],
  },
  {
    code: 'NONRES-2026',
    name: '非居民用水 2026',
    customerClass: 'non_residential',
    effectiveFrom: '2026-01-01',
    lateFee: { perMillePerDay: '1', capPct: '100' },
    paymentDays: 20,
    components: [
      { code: 'water', name: '水费', basis: 'flat', priceFen: 430, waterCharge: true },
      { code: 'sewage', name: '污水处理费', basis: 'flat', priceFen: 140 },
      { code: 'resource', name: '水资源费', basis: 'flat', priceFen: 30 },
    ],
  },
  {
    code: 'SPECIAL-2026',
    name: '特种行业用水 2026',
    customerClass: 'special',
    effectiveFrom: '2026-01-01',
    lateFee: { perMillePerDay: '1', capPct: '100' },
    paymentDays: 20,
    components: [
      { code: 'water', name: '水费', basis: 'flat', priceFen: 1800, waterCharge: true },
      { code: 'sewage', name: '污水处理费', basis: 'flat', priceFen: 140 },
      { code: 'resource', name: '水资源费', basis: 'flat', priceFen: 30 },
    ],
  },
];

/** Adds the demo tariffs unless a tariff of that code exists; returns the codes added. */
export async function seedDemoTariffs(knex: Knex): Promise<string[]> {
  const added: string[] = [];
  for (const t of DEMO_TARIFFS) {
    if (await knex('cis.tariffs').where({ code: t.code }).first('id')) continue;
    await createTariff(knex, t, { actor: 'seed' });
    added.push(t.code);
  }
  return added;
}
