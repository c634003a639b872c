import type { Knex } from 'knex';

/**
 * A sane bound on a reading's consumption (`consumption_bound`, domain/metering/rules.ts): per month, a meter's
 * permanent flow Q3 running the whole month (`dn<size>`: Q3 m³/h of ISO 4064 sizes × 720 h), and for households at
 * most `residentialMonthlyM3`. It judges readings without history too, which the average-based rule cannot.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.reading_rules DROP CONSTRAINT reading_rules_code_check;
    ALTER TABLE cis.reading_rules ADD CONSTRAINT reading_rules_code_check CHECK (code IN
      ('negative_consumption', 'zero_consumption', 'high_consumption', 'rollover', 'replacement', 'no_meter',
       'consumption_bound'));
    INSERT INTO cis.reading_rules (code, params, description) VALUES
      ('consumption_bound',
       '{"residentialMonthlyM3": 60, "dn15": 1800, "dn20": 2880, "dn25": 4536, "dn32": 7200, "dn40": 11520,
         "dn50": 18000, "dn80": 45360, "dn100": 72000, "dn150": 180000, "dn200": 288000}',
       'consumption above what the meter size (and, for households, a month''s use) allows over the reading''s months');
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DELETE FROM cis.reading_rules WHERE code = 'consumption_bound';
    ALTER TABLE cis.reading_rules DROP CONSTRAINT reading_rules_code_check;
    ALTER TABLE cis.reading_rules ADD CONSTRAINT reading_rules_code_check CHECK (code IN
      ('negative_consumption', 'zero_consumption', 'high_consumption', 'rollover', 'replacement', 'no_meter'));
  `);
}
