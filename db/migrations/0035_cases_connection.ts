import type { Knex } from 'knex';

/**
 * New connections (新装, M7): the connection-fee price list, the fees a case owes, their payments at the counter,
 * and the facts each step established (survey, design, works, contract).
 *
 * The fee is paid before an account exists, so it cannot be a ledger entry of an account: a case fee payment is
 * its own append-only row, exactly once per (channel, serial) like cis.payments, taken in the cashier's day
 * session (cis.cashier_sessions) and counted in that cashier's 日结.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- 接水费 by requested meter size; versioned by effective date (tariff data, edited by managers, never code)
    CREATE TABLE cis.connection_fee_prices (
      caliber_mm integer NOT NULL CHECK (caliber_mm > 0),
      effective_from date NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
      PRIMARY KEY (caliber_mm, effective_from)
    );
    INSERT INTO cis.connection_fee_prices (caliber_mm, effective_from, amount_fen) VALUES
      (15, '2020-01-01', 80000), (20, '2020-01-01', 120000), (25, '2020-01-01', 200000),
      (32, '2020-01-01', 300000), (40, '2020-01-01', 500000), (50, '2020-01-01', 800000),
      (80, '2020-01-01', 1500000), (100, '2020-01-01', 2500000), (150, '2020-01-01', 5000000);

    -- one version per design pass (a re-design adds one; the approved one is the latest)
    CREATE TABLE cis.case_connection_designs (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cis.cases,
      version integer NOT NULL,
      budget_fen bigint NOT NULL CHECK (budget_fen >= 0),
      budget_lines jsonb NOT NULL DEFAULT '[]',
      materials jsonb NOT NULL DEFAULT '[]',
      drawings_note text NOT NULL DEFAULT '',
      recorded_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (case_id, version)
    );

    -- what a step established (survey findings, works progress and materials used, acceptance, signed contract)
    CREATE TABLE cis.case_connection_steps (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cis.cases,
      step text NOT NULL,
      facts jsonb NOT NULL,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX case_connection_steps_case ON cis.case_connection_steps (case_id, id);

    CREATE TABLE cis.case_fees (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cis.cases,
      item text NOT NULL CHECK (item IN ('connection_fee', 'works_fee')),
      amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
      state text NOT NULL DEFAULT 'due' CHECK (state IN ('due', 'paid')),
      basis text NOT NULL DEFAULT '',
      payment_id bigint,
      assessed_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (case_id, item)
    );

    CREATE TABLE cis.case_fee_payments (
      id bigserial PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cis.cases,
      channel text NOT NULL CHECK (channel IN ('counter')),
      serial text NOT NULL CHECK (length(serial) BETWEEN 1 AND 100),
      method text NOT NULL CHECK (method IN ('cash', 'card', 'qr', 'cheque', 'transfer')),
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      tendered_fen bigint CHECK (tendered_fen >= amount_fen),
      cashier text NOT NULL,
      session_id bigint NOT NULL REFERENCES cis.cashier_sessions,
      business_day date NOT NULL,
      paid_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT case_fee_payments_channel_serial_key UNIQUE (channel, serial)
    );
    CREATE INDEX case_fee_payments_case ON cis.case_fee_payments (case_id, id);
    CREATE INDEX case_fee_payments_session ON cis.case_fee_payments (session_id);
    ALTER TABLE cis.case_fees ADD CONSTRAINT case_fees_payment_fk
      FOREIGN KEY (payment_id) REFERENCES cis.case_fee_payments;
    CREATE TRIGGER case_fee_payments_append_only BEFORE UPDATE OR DELETE ON cis.case_fee_payments
      FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.case_fees DROP CONSTRAINT case_fees_payment_fk;
    DROP TABLE cis.case_fee_payments;
    DROP TABLE cis.case_fees;
    DROP TABLE cis.case_connection_steps;
    DROP TABLE cis.case_connection_designs;
    DROP TABLE cis.connection_fee_prices;
  `);
}
