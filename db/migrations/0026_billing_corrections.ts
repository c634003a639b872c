import type { Knex } from 'knex';

/**
 * Corrections that reach the customer once (issue #17): a re-bill and the later bills of its tier year it
 * re-bills are announced in one notification, kind `bills_corrected`, listing every month that changed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE cis.notifications DROP CONSTRAINT notifications_kind_check;
    ALTER TABLE cis.notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('bill_issued', 'bill_reissued', 'bills_corrected'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DELETE FROM cis.notifications WHERE kind = 'bills_corrected';
    ALTER TABLE cis.notifications DROP CONSTRAINT notifications_kind_check;
    ALTER TABLE cis.notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('bill_issued', 'bill_reissued'));
  `);
}
