import type { Knex } from 'knex';

/**
 * Meter readings (M2): one table for every channel, so validation and billing read one place.
 * The contract billing builds on: accepted readings (status 'accepted') with their consumption;
 * estimated ones are flagged and trued up by the next real reading of the same meter.
 * Metering may add columns in later migrations; these stay.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE cis.readings (
      id bigserial PRIMARY KEY,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      meter_id bigint REFERENCES cis.meters,
      book_id bigint REFERENCES cis.meter_books,
      -- the reading period this value closes (first day of its month)
      period date NOT NULL,
      read_at timestamptz NOT NULL,
      reading numeric(12, 3) NOT NULL CHECK (reading >= 0),
      consumption numeric(12, 3) NOT NULL DEFAULT 0,
      source text NOT NULL CHECK (source IN ('manual', 'handheld', 'mobile', 'remote', 'estimate', 'replacement')),
      estimated boolean NOT NULL DEFAULT false,
      status text NOT NULL DEFAULT 'accepted' CHECK (status IN ('pending', 'accepted', 'rejected', 'superseded')),
      reader text,
      note text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX readings_account_period ON cis.readings (account_id, period);
    CREATE INDEX readings_meter_read_at ON cis.readings (meter_id, read_at);
    CREATE INDEX readings_period_accepted ON cis.readings (period) WHERE status = 'accepted';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS cis.readings`);
}
