import type { Knex } from 'knex';

/**
 * Metering (M2) around cis.readings (0009): what a reading was compared with and which rule stopped it;
 * validation rules as data; reading cycles with their orders per book; handheld import batches kept
 * between the preview and the user's confirmation. cis.readings keeps every column of 0009.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.readings
      -- the accepted reading this one was compared with (null: the meter's initial reading)
      ADD COLUMN previous_id bigint REFERENCES cis.readings,
      ADD COLUMN previous_reading numeric(12, 3),
      -- the validation rule that left the reading pending, and its explanation
      ADD COLUMN failed_rule text,
      ADD COLUMN problem text,
      -- where the value came from: a remote frame's meter and clock, an import batch and line
      ADD COLUMN external_ref text,
      ADD COLUMN import_id bigint;
    CREATE INDEX readings_meter_period ON cis.readings (meter_id, period);
    CREATE UNIQUE INDEX readings_external_ref ON cis.readings (source, external_ref) WHERE external_ref IS NOT NULL;
    CREATE INDEX readings_pending ON cis.readings (book_id, period) WHERE status = 'pending';

    -- One row per rule; params are read at every validation, so a change applies to the next reading.
    CREATE TABLE cis.reading_rules (
      code text PRIMARY KEY CHECK (code IN
        ('negative_consumption', 'zero_consumption', 'high_consumption', 'rollover', 'replacement', 'no_meter')),
      enabled boolean NOT NULL DEFAULT true,
      params jsonb NOT NULL DEFAULT '{}',
      description text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO cis.reading_rules (code, params, description) VALUES
      ('negative_consumption', '{}', 'reading below the previous one and not a plausible rollover'),
      ('zero_consumption', '{"cycles": 3}', 'no consumption for this many cycles in a row (stuck meter?)'),
      ('high_consumption', '{"factor": 3, "lookback": 6, "minHistory": 2, "minConsumption": 5}',
        'consumption above factor x the average of the last lookback accepted readings'),
      ('rollover', '{"maxShare": 0.2, "review": false}',
        'reading below the previous one that wraps at 10^digits; review: hold it for a clerk'),
      ('replacement', '{"review": false}',
        'first reading of a replacement meter: old final minus last reading plus new reading minus initial'),
      ('no_meter', '{}', 'a reading for an account without a meter in service');

    CREATE TABLE cis.reading_cycles (
      id bigserial PRIMARY KEY,
      book_id bigint NOT NULL REFERENCES cis.meter_books,
      period date NOT NULL CHECK (extract(day FROM period) = 1),
      deadline timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      process_instance_key text,
      created_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      UNIQUE (book_id, period)
    );

    CREATE TABLE cis.reading_orders (
      id bigserial PRIMARY KEY,
      cycle_id bigint NOT NULL REFERENCES cis.reading_cycles,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      meter_id bigint REFERENCES cis.meters,
      seq integer NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'read', 'missed')),
      reading_id bigint REFERENCES cis.readings,
      UNIQUE (cycle_id, account_id)
    );
    CREATE INDEX reading_orders_account_open ON cis.reading_orders (account_id) WHERE status = 'open';

    -- A handheld file between upload and confirmation: its parsed lines with their problems.
    CREATE TABLE cis.reading_imports (
      id bigserial PRIMARY KEY,
      book_id bigint REFERENCES cis.meter_books,
      period date NOT NULL,
      file_name text NOT NULL DEFAULT '',
      encoding text NOT NULL,
      status text NOT NULL CHECK (status IN ('rejected', 'previewed', 'imported')),
      file_problems jsonb NOT NULL DEFAULT '[]',
      lines jsonb NOT NULL DEFAULT '[]',
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      confirmed_by text,
      confirmed_at timestamptz
    );
    ALTER TABLE cis.readings ADD CONSTRAINT readings_import_fk FOREIGN KEY (import_id) REFERENCES cis.reading_imports;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.readings DROP CONSTRAINT IF EXISTS readings_import_fk;
    DROP TABLE IF EXISTS cis.reading_imports, cis.reading_orders, cis.reading_cycles, cis.reading_rules;
    DROP INDEX IF EXISTS cis.readings_meter_period, cis.readings_external_ref, cis.readings_pending;
    ALTER TABLE cis.readings DROP COLUMN IF EXISTS previous_id, DROP COLUMN IF EXISTS previous_reading,
      DROP COLUMN IF EXISTS failed_rule, DROP COLUMN IF EXISTS problem, DROP COLUMN IF EXISTS external_ref,
      DROP COLUMN IF EXISTS import_id;
  `);
}
