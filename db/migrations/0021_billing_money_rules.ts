import type { Knex } from 'knex';

/**
 * Billing money rules of issue #17, all as data on the tariff version:
 *
 * - `late_fee_base`: what the daily late fee (违约金) is charged on — 'all' components (the rule before this
 *   migration, so every existing version keeps it) or 'water', the components flagged `water_charge` only:
 *   sewage treatment and water-resource fees are government levies that many utilities charge no late fee on.
 *   Which component is the water charge is the flag, never a component code in the computation.
 * - `rounding`: half-up per bill line ('line', as before) or once on the bill's total ('bill'); in the latter
 *   case a 'rounding' line carries the difference, so a bill is still the sum of its lines.
 * - bill runs count the prepaid (IC-card) accounts they skip: those pay by card purchase, not by bill.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.tariffs
      ADD COLUMN late_fee_base text NOT NULL DEFAULT 'all' CHECK (late_fee_base IN ('water', 'all')),
      ADD COLUMN rounding text NOT NULL DEFAULT 'line' CHECK (rounding IN ('line', 'bill'));
    ALTER TABLE cis.tariff_components ADD COLUMN water_charge boolean NOT NULL DEFAULT false;
    ALTER TABLE cis.bill_runs ADD COLUMN accounts_prepaid_skipped integer NOT NULL DEFAULT 0;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.bill_runs DROP COLUMN IF EXISTS accounts_prepaid_skipped;
    ALTER TABLE cis.tariff_components DROP COLUMN IF EXISTS water_charge;
    ALTER TABLE cis.tariffs DROP COLUMN IF EXISTS late_fee_base, DROP COLUMN IF EXISTS rounding;
  `);
}
