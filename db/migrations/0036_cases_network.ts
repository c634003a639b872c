import type { Knex } from 'knex';

/**
 * Cases on the existing network (M7): shut-offs (停水), water-use inspections (用水监察) and relocations (搬迁).
 *
 * - A shut-off's affected accounts are computed once from the area the case names (meter books and/or streets)
 *   and kept, so the notices and the case record name the same accounts even if the network changes later.
 * - Shut-off and restoration notices are rows of the existing outbox `cis.notifications` (one per account and
 *   kind), carrying the case and the time window; the SMS/WeChat/letter adapters send them as they send bills'.
 * - An inspection keeps its finding and what followed from it (penalty entry, repair ticket, class change).
 * - A relocation keeps the premises the account left and the ones it moved to (the account points to the new
 *   premises row; the old row stays, as other records refer to it).
 * - Ledger charges of kinds `relocation_fee` and `penalty` need no change here: cis.ledger_entries.kind has no
 *   CHECK; domain/accounts ChargeInput names the kinds a charge may have.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE cis.shutoff_affected_accounts (
      case_id bigint NOT NULL REFERENCES cis.cases,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      -- how the area reached it: its meter book was named, or its street was
      selected_by text NOT NULL CHECK (selected_by IN ('book', 'street', 'both')),
      PRIMARY KEY (case_id, account_id)
    );

    ALTER TABLE cis.notifications
      ADD COLUMN case_id bigint REFERENCES cis.cases,
      ADD COLUMN window_start timestamptz,
      ADD COLUMN window_end timestamptz;
    ALTER TABLE cis.notifications DROP CONSTRAINT notifications_kind_check;
    ALTER TABLE cis.notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('bill_issued', 'bill_reissued', 'bills_corrected', 'water_shutoff', 'water_restored'));
    -- one notice of a kind per account and case: a repeated step adds nothing
    CREATE UNIQUE INDEX notifications_case_account_kind ON cis.notifications (case_id, account_id, kind)
      WHERE case_id IS NOT NULL;

    CREATE TABLE cis.case_inspections (
      case_id bigint PRIMARY KEY REFERENCES cis.cases,
      account_id bigint REFERENCES cis.accounts,
      finding text NOT NULL CHECK (finding IN ('illegal_connection', 'meter_tampering', 'wrong_class', 'none')),
      note text NOT NULL DEFAULT '',
      estimated_volume numeric(12, 3) NOT NULL DEFAULT 0 CHECK (estimated_volume >= 0),
      penalty_fen bigint NOT NULL DEFAULT 0 CHECK (penalty_fen >= 0),
      penalty_entry_id bigint REFERENCES cis.ledger_entries,
      repair_ticket_id bigint REFERENCES cis.repair_tickets,
      class_before text,
      class_after text,
      class_changed_at timestamptz,
      inspected_by text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE cis.case_relocations (
      case_id bigint PRIMARY KEY REFERENCES cis.cases,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      old_premise_id bigint NOT NULL REFERENCES cis.premises,
      new_premise_id bigint NOT NULL REFERENCES cis.premises,
      old_book_id bigint NOT NULL REFERENCES cis.meter_books,
      new_book_id bigint NOT NULL REFERENCES cis.meter_books,
      moved_by text NOT NULL,
      moved_at timestamptz NOT NULL DEFAULT now()
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS cis.case_relocations, cis.case_inspections, cis.shutoff_affected_accounts;
    DELETE FROM cis.notifications WHERE kind IN ('water_shutoff', 'water_restored');
    DROP INDEX IF EXISTS cis.notifications_case_account_kind;
    ALTER TABLE cis.notifications DROP CONSTRAINT notifications_kind_check;
    ALTER TABLE cis.notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('bill_issued', 'bill_reissued', 'bills_corrected'));
    ALTER TABLE cis.notifications DROP COLUMN case_id, DROP COLUMN window_start, DROP COLUMN window_end;
  `);
}
