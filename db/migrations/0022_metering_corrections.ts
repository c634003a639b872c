import type { Knex } from 'knex';

/**
 * Metering settings and corrections of accepted readings (issue #17).
 *
 * - cis.metering_settings, one row: the utility's time zone a reading's period is taken in, the volume
 *   difference above which a correction of an accepted reading waits for approval, and the share of a meter's
 *   capacity a rollover may plausibly consume, per meter caliber (mm) with a default.
 * - cis.reading_corrections: every correction of an accepted reading, applied or waiting, with the values before
 *   and after — of the corrected reading and of the next reading of the same meter, whose consumption follows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE cis.metering_settings (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
      correction_approval_m3 numeric(12, 3) NOT NULL DEFAULT 50 CHECK (correction_approval_m3 >= 0),
      -- {"default": share, "<caliber mm>": share}: a rollover consuming more than this share of 10^digits is held
      rollover_max_share jsonb NOT NULL DEFAULT '{"default": 0.02}',
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO cis.metering_settings DEFAULT VALUES;

    CREATE TABLE cis.reading_corrections (
      id bigserial PRIMARY KEY,
      reading_id bigint NOT NULL REFERENCES cis.readings,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      status text NOT NULL CHECK (status IN ('applied', 'needs_approval', 'approved', 'rejected')),
      reason text NOT NULL CHECK (length(reason) > 0),
      reading_before numeric(12, 3) NOT NULL,
      reading_after numeric(12, 3) NOT NULL,
      consumption_before numeric(12, 3) NOT NULL,
      consumption_after numeric(12, 3) NOT NULL,
      -- the next reading of the same meter, whose consumption counts from the corrected one
      next_reading_id bigint REFERENCES cis.readings,
      next_consumption_before numeric(12, 3),
      next_consumption_after numeric(12, 3),
      requested_by text NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      decided_by text,
      decided_at timestamptz
    );
    CREATE INDEX reading_corrections_reading ON cis.reading_corrections (reading_id);
    CREATE INDEX reading_corrections_waiting ON cis.reading_corrections (id) WHERE status = 'needs_approval';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS cis.reading_corrections, cis.metering_settings`);
}
