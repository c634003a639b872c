import type { Knex } from 'knex';

/**
 * Tariffs and billing (M2/M3) in schema cis.
 *
 * Tariffs are versioned data: a version per customer class with an inclusive date range (no two versions of
 * a class overlap: an exclusion constraint), components (water, sewage treatment, water-resource fee …)
 * priced by tiers of annual or monthly volume, or flat (one open tier). Large households: a tier's upper
 * bound grows by `up_to_per_extra_person` for every person above the version's `household_base`.
 * Late fees: per mille of the outstanding amount per day after the due date, capped at a percentage of
 * the bill.
 *
 * Bills are computed set-based by domain/billing/compute-sql.ts: one row per account and period, lines per
 * component and tier. At most one current bill per account and period (reversed and rejected ones stay
 * for the record). Bill lines carry no foreign key: the same statement writes a bill and its lines, and a
 * per-row FK check would double the cost of a million-account run.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE EXTENSION IF NOT EXISTS btree_gist;

    CREATE TABLE cis.tariffs (
      id bigserial PRIMARY KEY,
      code text NOT NULL CHECK (length(code) > 0),
      name text NOT NULL,
      customer_class text NOT NULL CHECK (customer_class IN ('residential', 'non_residential', 'special')),
      effective_from date NOT NULL,
      -- inclusive; NULL: until further notice
      effective_to date CHECK (effective_to IS NULL OR effective_to >= effective_from),
      -- persons the base tier bounds are made for; 0: no per-person adjustment
      household_base integer NOT NULL DEFAULT 0 CHECK (household_base >= 0),
      late_fee_per_mille numeric(6, 3) NOT NULL DEFAULT 0 CHECK (late_fee_per_mille >= 0),
      late_fee_cap_pct numeric(6, 2) NOT NULL DEFAULT 0 CHECK (late_fee_cap_pct >= 0),
      -- days from posting to the due date
      payment_days integer NOT NULL DEFAULT 30 CHECK (payment_days >= 0),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT tariffs_code_key UNIQUE (code),
      CONSTRAINT tariffs_no_overlap EXCLUDE USING gist (
        customer_class WITH =, daterange(effective_from, effective_to, '[]') WITH &&
      )
    );

    CREATE TABLE cis.tariff_components (
      id bigserial PRIMARY KEY,
      tariff_id bigint NOT NULL REFERENCES cis.tariffs ON DELETE CASCADE,
      position smallint NOT NULL,
      code text NOT NULL,
      name text NOT NULL,
      basis text NOT NULL CHECK (basis IN ('annual', 'monthly', 'flat')),
      UNIQUE (tariff_id, code),
      UNIQUE (tariff_id, position)
    );

    CREATE TABLE cis.tariff_tiers (
      component_id bigint NOT NULL REFERENCES cis.tariff_components ON DELETE CASCADE,
      tier smallint NOT NULL CHECK (tier > 0),
      -- upper bound of the tier in m³ (per year or per month, as the component's basis); NULL: open
      up_to numeric(12, 3) CHECK (up_to > 0),
      up_to_per_extra_person numeric(12, 3) NOT NULL DEFAULT 0 CHECK (up_to_per_extra_person >= 0),
      price_fen integer NOT NULL CHECK (price_fen >= 0),
      PRIMARY KEY (component_id, tier)
    );

    CREATE TABLE cis.bill_runs (
      id bigserial PRIMARY KEY,
      period date NOT NULL CHECK (extract(day FROM period) = 1),
      status text NOT NULL DEFAULT 'started'
        CHECK (status IN ('started', 'computing', 'reviewing', 'posting', 'done', 'failed')),
      review_threshold_fen bigint,
      process_instance_key text,
      started_by text NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      accounts_total integer,
      accounts_done integer NOT NULL DEFAULT 0,
      accounts_without_tariff integer NOT NULL DEFAULT 0,
      bills_for_review integer NOT NULL DEFAULT 0,
      bills_posted integer NOT NULL DEFAULT 0,
      compute_started_at timestamptz,
      computed_at timestamptz,
      finished_at timestamptz,
      CONSTRAINT bill_runs_period_key UNIQUE (period)
    );

    CREATE TABLE cis.bills (
      id bigserial PRIMARY KEY,
      run_id bigint REFERENCES cis.bill_runs,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      period date NOT NULL,
      tariff_id bigint NOT NULL REFERENCES cis.tariffs,
      household_size integer NOT NULL,
      volume numeric(12, 3) NOT NULL,
      -- the year's volume billed before this bill: where annual tiers start
      ytd_volume_before numeric(12, 3) NOT NULL DEFAULT 0,
      amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
      status text NOT NULL CHECK (status IN ('computed', 'review', 'approved', 'rejected', 'posted', 'reversed')),
      due_date date,
      posted_at timestamptz,
      reversed_at timestamptz,
      replaces_bill_id bigint REFERENCES cis.bills,
      note text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    -- volume included: the year-to-date sum of a chunk of accounts is an index-only scan
    CREATE UNIQUE INDEX bills_current ON cis.bills (account_id, period) INCLUDE (volume)
      WHERE status NOT IN ('reversed', 'rejected');
    CREATE INDEX bills_run_status ON cis.bills (run_id, status);
    CREATE INDEX bills_overdue ON cis.bills (due_date) WHERE status = 'posted';
    -- re-bills find their successor; deleting or checking a bill's FK would otherwise scan every bill
    CREATE INDEX bills_replaces ON cis.bills (replaces_bill_id) WHERE replaces_bill_id IS NOT NULL;

    -- A bill run reads one period's accepted readings by account range: an index-only scan.
    CREATE INDEX readings_billing ON cis.readings (period, account_id) INCLUDE (consumption) WHERE status = 'accepted';

    CREATE TABLE cis.bill_lines (
      bill_id bigint NOT NULL,
      line_no smallint NOT NULL,
      component text NOT NULL,
      tier smallint NOT NULL,
      volume numeric(12, 3) NOT NULL,
      price_fen integer NOT NULL,
      amount_fen bigint NOT NULL,
      PRIMARY KEY (bill_id, line_no)
    );

    ALTER TABLE cis.ledger_entries ADD COLUMN bill_id bigint REFERENCES cis.bills;
    -- A bill, its reversal and each day's late fee post once, however often a job is delivered.
    CREATE UNIQUE INDEX ledger_entries_billing_ref ON cis.ledger_entries (kind, ref)
      WHERE kind IN ('bill', 'bill_reversal', 'late_fee', 'late_fee_reversal');
    CREATE INDEX ledger_entries_bill ON cis.ledger_entries (bill_id) WHERE bill_id IS NOT NULL;

    CREATE TABLE cis.late_fee_accruals (
      bill_id bigint NOT NULL REFERENCES cis.bills,
      day date NOT NULL,
      outstanding_fen bigint NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (bill_id, day)
    );

    -- Messages to customers; SMS and WeChat adapters send the pending ones later.
    CREATE TABLE cis.notifications (
      id bigserial PRIMARY KEY,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      bill_id bigint REFERENCES cis.bills,
      kind text NOT NULL CHECK (kind IN ('bill_issued', 'bill_reissued')),
      channel text NOT NULL CHECK (channel IN ('sms', 'wechat', 'letter')),
      recipient text,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      CONSTRAINT notifications_bill_kind_key UNIQUE (bill_id, kind)
    );
    CREATE INDEX notifications_pending ON cis.notifications (id) WHERE status = 'pending';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS cis.notifications, cis.late_fee_accruals;
    DROP INDEX IF EXISTS cis.readings_billing;
    DROP INDEX IF EXISTS cis.ledger_entries_billing_ref, cis.ledger_entries_bill;
    ALTER TABLE cis.ledger_entries DROP COLUMN IF EXISTS bill_id;
    DROP TABLE IF EXISTS cis.bill_lines, cis.bills, cis.bill_runs, cis.tariff_tiers, cis.tariff_components, cis.tariffs;
  `);
}
