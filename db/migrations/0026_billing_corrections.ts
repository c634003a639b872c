import type { Knex } from 'knex';

/**
 * Corrections (issue #17):
 * - a re-bill and the later bills of its tier year it re-bills are announced in one notification, kind
 *   `bills_corrected`, listing every month that changed;
 * - a reading accepted for a period whose bill run has already computed is marked `billing_late` (a trigger, so
 *   every way a reading arrives is covered); the next run bills it (domain/billing/catch-up.ts) and clears the
 *   mark. The partial index keeps finding them cheap however many readings there are.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.notifications DROP CONSTRAINT notifications_kind_check;
    ALTER TABLE cis.notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('bill_issued', 'bill_reissued', 'bills_corrected'));

    ALTER TABLE cis.readings ADD COLUMN billing_late boolean NOT NULL DEFAULT false;
    CREATE INDEX readings_billing_late ON cis.readings (period, account_id) WHERE billing_late;
    CREATE FUNCTION cis.mark_late_reading() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF NEW.status = 'accepted' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'accepted')
         AND EXISTS (SELECT 1 FROM cis.bill_runs WHERE period = NEW.period AND status <> 'started') THEN
        NEW.billing_late := true;
      END IF;
      RETURN NEW;
    END
    $fn$;
    CREATE TRIGGER readings_mark_late BEFORE INSERT OR UPDATE OF status ON cis.readings
      FOR EACH ROW EXECUTE FUNCTION cis.mark_late_reading();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER IF EXISTS readings_mark_late ON cis.readings;
    DROP FUNCTION IF EXISTS cis.mark_late_reading();
    ALTER TABLE cis.readings DROP COLUMN IF EXISTS billing_late;
    DELETE FROM cis.notifications WHERE kind = 'bills_corrected';
    ALTER TABLE cis.notifications DROP CONSTRAINT notifications_kind_check;
    ALTER TABLE cis.notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('bill_issued', 'bill_reissued'));
  `);
}
