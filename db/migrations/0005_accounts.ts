import type { Knex } from 'knex';

/**
 * Customer accounts (M1) in schema cis: customers, premises, meter books, accounts, meters and their
 * replacements, water-use certificates, a minimal ledger and the append-only audit log.
 *
 * Search design (see domain/accounts/search.ts): identifiers (account number, meter serial, pinyin,
 * reversed phone digits) are `COLLATE "C"` so one plain btree serves both `LIKE 'x%'` and ORDER BY.
 * Chinese names and addresses carry a generated array of character n-grams with a GIN index:
 * pg_trgm cannot use its index for the 1–2 character fragments typical of Chinese names, while
 * bigram containment can, for any fragment of two or more characters.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- Character n-grams of a text, whitespace removed, lower-cased: bigrams, and unigrams on request.
    -- plpgsql, not SQL: it runs once per row written, and a loop is several times cheaper than a
    -- set-returning subquery there. Duplicates are left in: GIN de-duplicates keys per row itself.
    CREATE FUNCTION cis.search_grams(t text, with_unigrams boolean) RETURNS text[]
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
        DECLARE
          s text := lower(regexp_replace(t, '\\s', '', 'g'));
          n int := length(s);
          grams text[] := '{}';
        BEGIN
          FOR i IN 1 .. n - 1 LOOP grams := grams || substr(s, i, 2); END LOOP;
          IF with_unigrams THEN
            FOR i IN 1 .. n LOOP grams := grams || substr(s, i, 1); END LOOP;
          END IF;
          RETURN grams;
        END
      $$;

    CREATE FUNCTION cis.forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'restrict_violation';
      END
    $$;

    CREATE TABLE cis.customers (
      id bigserial PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('person', 'organisation')),
      id_doc_type text NOT NULL CHECK (id_doc_type IN ('resident_id', 'passport', 'business_licence', 'other')),
      id_doc_number text NOT NULL,
      name text NOT NULL CHECK (length(name) > 0),
      name_pinyin text COLLATE "C" NOT NULL,
      name_initials text COLLATE "C" NOT NULL,
      name_grams text[] GENERATED ALWAYS AS (cis.search_grams(name, true)) STORED,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX customers_name_grams ON cis.customers USING gin (name_grams);
    CREATE INDEX customers_name ON cis.customers (name);
    CREATE INDEX customers_name_initials ON cis.customers (name_initials);
    CREATE INDEX customers_name_pinyin ON cis.customers (name_pinyin);
    CREATE INDEX customers_id_doc ON cis.customers (id_doc_type, id_doc_number);

    CREATE TABLE cis.customer_phones (
      id bigserial PRIMARY KEY,
      customer_id bigint NOT NULL REFERENCES cis.customers ON DELETE CASCADE,
      phone text NOT NULL,
      -- digits reversed: a suffix search becomes a btree prefix range
      digits_rev text COLLATE "C" GENERATED ALWAYS AS (reverse(regexp_replace(phone, '[^0-9]', '', 'g'))) STORED,
      UNIQUE (customer_id, phone)
    );
    CREATE INDEX customer_phones_digits_rev ON cis.customer_phones (digits_rev);

    CREATE TABLE cis.premises (
      id bigserial PRIMARY KEY,
      district text NOT NULL,
      street text NOT NULL,
      community text NOT NULL DEFAULT '',
      building text NOT NULL DEFAULT '',
      unit text NOT NULL DEFAULT '',
      room text NOT NULL DEFAULT '',
      address_text text NOT NULL DEFAULT '',
      search_text text GENERATED ALWAYS AS (
        lower(regexp_replace(district || street || community || building || unit || room || address_text, '\\s', '', 'g'))
      ) STORED,
      search_grams text[] GENERATED ALWAYS AS (
        cis.search_grams(district || street || community || building || unit || room || address_text, false)
      ) STORED,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX premises_search_grams ON cis.premises USING gin (search_grams);

    CREATE TABLE cis.meter_books (
      id bigserial PRIMARY KEY,
      code text COLLATE "C" NOT NULL UNIQUE,
      name text NOT NULL,
      reader text,
      cycle text NOT NULL DEFAULT 'monthly' CHECK (cycle IN ('monthly', 'bimonthly', 'quarterly')),
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE SEQUENCE cis.account_no_seq START 10000001;
    CREATE TABLE cis.accounts (
      id bigserial PRIMARY KEY,
      account_no text COLLATE "C" NOT NULL,
      customer_id bigint NOT NULL REFERENCES cis.customers,
      premise_id bigint NOT NULL REFERENCES cis.premises,
      commodity text NOT NULL DEFAULT 'water',
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
      customer_class text NOT NULL CHECK (customer_class IN ('residential', 'non_residential', 'special')),
      household_size integer NOT NULL DEFAULT 1 CHECK (household_size BETWEEN 1 AND 99),
      payment_method text NOT NULL CHECK (payment_method IN ('counter', 'bank_debit', 'prepaid_card')),
      book_id bigint NOT NULL REFERENCES cis.meter_books,
      -- position in the reading route; gaps (steps of 10) let an account slot in between neighbours
      book_seq integer NOT NULL CHECK (book_seq > 0),
      suspended_until date,
      opened_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      CONSTRAINT accounts_account_no_key UNIQUE (account_no),
      -- deferrable: a set-based renumbering of a book's tail is checked at statement end, not per row
      CONSTRAINT accounts_book_seq_key UNIQUE (book_id, book_seq) DEFERRABLE INITIALLY IMMEDIATE
    );
    CREATE INDEX accounts_customer ON cis.accounts (customer_id);
    CREATE INDEX accounts_premise ON cis.accounts (premise_id);

    CREATE TABLE cis.meters (
      id bigserial PRIMARY KEY,
      serial text COLLATE "C" NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('ordinary', 'ic_card', 'remote')),
      vendor text NOT NULL DEFAULT '',
      model text NOT NULL DEFAULT '',
      caliber_mm integer NOT NULL DEFAULT 20 CHECK (caliber_mm > 0),
      digits integer NOT NULL DEFAULT 5 CHECK (digits BETWEEN 3 AND 10),
      install_date date,
      status text NOT NULL DEFAULT 'in_service' CHECK (status IN ('stock', 'in_service', 'removed')),
      account_id bigint REFERENCES cis.accounts,
      initial_reading numeric(12, 3) NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX meters_account ON cis.meters (account_id);

    CREATE TABLE cis.meter_replacements (
      id bigserial PRIMARY KEY,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      old_meter_id bigint REFERENCES cis.meters,
      new_meter_id bigint REFERENCES cis.meters,
      final_reading numeric(12, 3),
      initial_reading numeric(12, 3),
      reason text NOT NULL DEFAULT '',
      replaced_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX meter_replacements_account ON cis.meter_replacements (account_id);

    CREATE SEQUENCE cis.certificate_no_seq;
    CREATE TABLE cis.certificates (
      id bigserial PRIMARY KEY,
      number text COLLATE "C" NOT NULL UNIQUE,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      customer_id bigint NOT NULL REFERENCES cis.customers,
      status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'void')),
      replaces_id bigint REFERENCES cis.certificates,
      reason text NOT NULL DEFAULT 'issued',
      issued_at timestamptz NOT NULL DEFAULT now(),
      voided_at timestamptz
    );
    CREATE INDEX certificates_account ON cis.certificates (account_id);
    CREATE UNIQUE INDEX certificates_one_valid ON cis.certificates (account_id) WHERE status = 'valid';

    -- Minimal ledger for balances (the billing issue extends it). Signed from the customer's side:
    -- payments and credits > 0, bills and fees < 0; the balance is the sum, arrears when negative.
    CREATE TABLE cis.ledger_entries (
      id bigserial PRIMARY KEY,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      kind text NOT NULL,
      amount_fen bigint NOT NULL,
      ref text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ledger_entries_account ON cis.ledger_entries (account_id);
    CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON cis.ledger_entries
      FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();
    CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON cis.ledger_entries
      FOR EACH STATEMENT EXECUTE FUNCTION cis.forbid_change();

    -- Results of operations called with an idempotency key (job workers pass the job key).
    CREATE TABLE cis.idempotency_keys (
      key text PRIMARY KEY,
      operation text NOT NULL,
      result jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE cis.audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL CHECK (length(actor) > 0),
      action text NOT NULL,
      entity text NOT NULL,
      entity_id text,
      account_id bigint,
      before jsonb,
      after jsonb,
      process_instance_key text,
      task_key text
    );
    CREATE INDEX audit_log_account ON cis.audit_log (account_id, id);
    CREATE INDEX audit_log_entity ON cis.audit_log (entity, entity_id);
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON cis.audit_log
      FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON cis.audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION cis.forbid_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS cis.audit_log, cis.idempotency_keys, cis.ledger_entries, cis.certificates, cis.meter_replacements, cis.meters,
      cis.accounts, cis.meter_books, cis.premises, cis.customer_phones, cis.customers CASCADE;
    DROP SEQUENCE IF EXISTS cis.account_no_seq, cis.certificate_no_seq;
    DROP FUNCTION IF EXISTS cis.search_grams(text, boolean), cis.forbid_change();
  `);
}
