import type { Knex } from 'knex';

/**
 * Billing money rules of issue #17, second part:
 *
 * - credit bills: a period whose accepted consumption is negative (last month's estimate was too high) is priced
 *   on the tiers it comes back down through, so `cis.bills.amount_fen` may be negative (a credit note; posted as a
 *   positive `bill` ledger entry that settles other debts). The `amount_fen >= 0` check goes.
 * - `cis.tariffs.prorate_annual`: annual tier bounds × the months of the year the account is open / 12
 *   (default false: every existing version keeps full-year bounds).
 * - prices with 厘 precision (0.001 yuan = 0.1 fen): `price_fen` of tiers and bill lines becomes numeric with one
 *   decimal; integer prices stay exactly what they were.
 * - VAT: `cis.tariff_components.vat_rate` (prices include tax; default 0) and the tax part of each bill line,
 *   `cis.bill_lines.vat_fen`.
 * - `cis.household_changes`: the household size (户口) over time, append-only; `persons_before` is the size in force
 *   the day before `effective_from` when the change was recorded (what a period before every change bills with).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.bills DROP CONSTRAINT bills_amount_fen_check;

    ALTER TABLE cis.tariffs ADD COLUMN prorate_annual boolean NOT NULL DEFAULT false;
    ALTER TABLE cis.tariff_components
      ADD COLUMN vat_rate numeric(5, 4) NOT NULL DEFAULT 0 CHECK (vat_rate >= 0 AND vat_rate < 1);
    ALTER TABLE cis.tariff_tiers ALTER COLUMN price_fen TYPE numeric(12, 1);
    ALTER TABLE cis.bill_lines
      ALTER COLUMN price_fen TYPE numeric(12, 1),
      ADD COLUMN vat_fen bigint NOT NULL DEFAULT 0;

    CREATE TABLE cis.household_changes (
      id bigserial PRIMARY KEY,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      effective_from date NOT NULL,
      persons integer NOT NULL CHECK (persons BETWEEN 1 AND 99),
      persons_before integer NOT NULL CHECK (persons_before BETWEEN 1 AND 99),
      -- the 户口 document the change rests on (household register page, certificate number …)
      document_ref text NOT NULL CHECK (length(document_ref) > 0),
      note text NOT NULL DEFAULT '',
      actor text NOT NULL CHECK (length(actor) > 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX household_changes_account ON cis.household_changes (account_id, effective_from, id);
    CREATE TRIGGER household_changes_append_only BEFORE UPDATE OR DELETE ON cis.household_changes
      FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();
    CREATE TRIGGER household_changes_no_truncate BEFORE TRUNCATE ON cis.household_changes
      FOR EACH STATEMENT EXECUTE FUNCTION cis.forbid_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS cis.household_changes;
    ALTER TABLE cis.bill_lines DROP COLUMN IF EXISTS vat_fen, ALTER COLUMN price_fen TYPE integer USING round(price_fen);
    ALTER TABLE cis.tariff_tiers ALTER COLUMN price_fen TYPE integer USING round(price_fen);
    ALTER TABLE cis.tariff_components DROP COLUMN IF EXISTS vat_rate;
    ALTER TABLE cis.tariffs DROP COLUMN IF EXISTS prorate_annual;
    -- NOT VALID: credit bills written meanwhile stay; new ones are refused again
    ALTER TABLE cis.bills ADD CONSTRAINT bills_amount_fen_check CHECK (amount_fen >= 0) NOT VALID;
  `);
}
