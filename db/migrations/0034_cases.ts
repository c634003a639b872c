import type { Knex } from 'knex';
import { BOOK_AREAS_SQL } from '../sql/book-areas.js';

/**
 * Business-development cases (M7): one row per case of any type, whatever process runs it. The process is the
 * case's flow; this row is what the front desk, the public status page and the statistics key on (the case
 * number, the customer, the premises, the outcome). Each case type adds its own tables in its own migration.
 *
 * Meter-book areas: a book serves streets. A new connection's address picks its book from them, and an address
 * on no book's streets is refused at intake (nobody would read that meter).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE cis.meter_book_areas (
      district text NOT NULL,
      street text NOT NULL,
      book_id bigint NOT NULL REFERENCES cis.meter_books,
      PRIMARY KEY (district, street)
    );
    CREATE INDEX meter_book_areas_book ON cis.meter_book_areas (book_id);
    CREATE TABLE cis.case_counters (
      day date PRIMARY KEY,
      last integer NOT NULL
    );

    CREATE TABLE cis.cases (
      id bigserial PRIMARY KEY,
      case_no text COLLATE "C" NOT NULL UNIQUE,
      case_type text NOT NULL CHECK (case_type IN (
        'new-connection', 'relocation', 'water-shutoff-approval', 'water-use-inspection',
        'transfer-case', 'suspension-case')),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'rejected', 'cancelled')),
      customer_id bigint REFERENCES cis.customers,
      account_id bigint REFERENCES cis.accounts,
      premise_id bigint REFERENCES cis.premises,
      book_id bigint REFERENCES cis.meter_books,
      -- the address as applied for (a new connection's premises may not exist yet)
      district text NOT NULL DEFAULT '',
      street text NOT NULL DEFAULT '',
      community text NOT NULL DEFAULT '',
      building text NOT NULL DEFAULT '',
      unit text NOT NULL DEFAULT '',
      room text NOT NULL DEFAULT '',
      address_key text COLLATE "C" GENERATED ALWAYS AS (
        lower(regexp_replace(district || '|' || street || '|' || community || '|' || building || '|' || unit || '|' || room, '\\s', '', 'g'))
      ) STORED,
      applicant_name text NOT NULL CHECK (length(applicant_name) > 0),
      applicant_phone text NOT NULL DEFAULT '',
      -- what the intake form took beyond the columns above (use class, requested size, shut-off window …)
      details jsonb NOT NULL DEFAULT '{}',
      -- the QR code's key to the public status page: the case number alone is guessable
      public_token text COLLATE "C" NOT NULL UNIQUE,
      process_instance_key text UNIQUE,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      outcome text NOT NULL DEFAULT ''
    );
    CREATE INDEX cases_customer ON cis.cases (customer_id, id);
    CREATE INDEX cases_account ON cis.cases (account_id, id);
    CREATE INDEX cases_open ON cis.cases (case_type, id) WHERE status = 'open';
    -- one open new connection per premises (the second intake is a 409 naming the first)
    CREATE UNIQUE INDEX cases_one_open_connection ON cis.cases (address_key)
      WHERE case_type = 'new-connection' AND status = 'open';
  `);
  await knex.raw(BOOK_AREAS_SQL);
  // Who starts which case process: the front desk starts every type; inspectors (engineers) start inspections.
  const grants: Array<[string, string]> = [
    ['clerk', 'new-connection'],
    ['clerk', 'relocation'],
    ['clerk', 'water-shutoff-approval'],
    ['clerk', 'water-use-inspection'],
    ['clerk', 'transfer-case'],
    ['clerk', 'suspension-case'],
    ['engineer', 'water-shutoff-approval'],
    ['engineer', 'water-use-inspection'],
  ];
  for (const [role, processId] of grants)
    await knex.raw(
      `INSERT INTO engine.authorizations (owner_type, owner_id, resource_type, resource_id, permission_types)
       VALUES ('ROLE', ?, 'PROCESS_DEFINITION', ?, '{CREATE_PROCESS_INSTANCE}'::text[])
       ON CONFLICT (owner_type, owner_id, resource_type, resource_id)
       DO UPDATE SET permission_types = ARRAY(SELECT DISTINCT unnest(authorizations.permission_types || EXCLUDED.permission_types))`,
      [role, processId],
    );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DELETE FROM engine.authorizations WHERE owner_type = 'ROLE' AND resource_type = 'PROCESS_DEFINITION'
      AND resource_id IN ('new-connection', 'relocation', 'water-shutoff-approval', 'water-use-inspection',
                          'transfer-case', 'suspension-case');
    DROP TABLE cis.cases;
    DROP TABLE cis.case_counters;
    DROP TABLE cis.meter_book_areas;
  `);
}
