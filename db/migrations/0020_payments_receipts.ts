import type { Knex } from 'knex';
import { SETTLE_FUNCTION, SETTLE_SQL } from '../sql/settle.js';

/**
 * Payments (M3) and receipt stock (M4).
 *
 * Allocation is explicit: `cis.allocations` says which credit entry of the ledger (payment, reversal of a bill
 * or fee) settles which debt entry (bill, late fee, charge, refund, reversal of a payment), append-only, a
 * release being a negative row. What is left of an entry after its allocations is its open part: the open
 * debts are the arrears, the open credits the prepaid credit (预存). Every allocation moves the same fen on
 * both sides, so `sum(ledger) = open credits - open debts` holds by construction and nothing is stored that
 * could drift from the ledger.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE cis.allocations (
      id bigserial PRIMARY KEY,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      credit_entry_id bigint NOT NULL REFERENCES cis.ledger_entries,
      debit_entry_id bigint NOT NULL REFERENCES cis.ledger_entries,
      amount_fen bigint NOT NULL CHECK (amount_fen <> 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX allocations_credit ON cis.allocations (credit_entry_id) INCLUDE (amount_fen);
    CREATE INDEX allocations_debit ON cis.allocations (debit_entry_id) INCLUDE (amount_fen);
    CREATE TRIGGER allocations_append_only BEFORE UPDATE OR DELETE ON cis.allocations
      FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();
    CREATE TRIGGER allocations_no_truncate BEFORE TRUNCATE ON cis.allocations
      FOR EACH STATEMENT EXECUTE FUNCTION cis.forbid_change();
    -- an account's entries of one sign: the open debts and credits of one account are read this way
    CREATE INDEX ledger_entries_account_sign ON cis.ledger_entries (account_id, (amount_fen > 0), id);
    -- each payment, its reversal and each refund posts once
    CREATE UNIQUE INDEX ledger_entries_payment_ref ON cis.ledger_entries (kind, ref)
      WHERE kind IN ('payment', 'payment_reversal', 'refund');

    -- One row: the utility's payment settings (allocation order, business time zone).
    CREATE TABLE cis.payment_settings (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      allocation_order text[] NOT NULL DEFAULT '{bill,late_fee,charge}'
        CHECK (allocation_order <@ '{bill,late_fee,charge}' AND cardinality(allocation_order) = 3),
      time_zone text NOT NULL DEFAULT 'Asia/Shanghai',
      utility_name text NOT NULL DEFAULT '示范自来水公司',
      -- 统一社会信用代码 printed on e-invoices as the seller's
      seller_tax_id text NOT NULL DEFAULT '91330100MA27XXXX0X',
      verify_base_url text NOT NULL DEFAULT 'http://localhost:8080/verify/receipt/'
    );
    INSERT INTO cis.payment_settings DEFAULT VALUES;

    -- A cashier's business day at the counter (日结 closes it: no payment after that on it).
    CREATE TABLE cis.cashier_sessions (
      id bigserial PRIMARY KEY,
      cashier text NOT NULL,
      business_day date NOT NULL,
      opened_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      closed_by text,
      totals jsonb,
      CONSTRAINT cashier_sessions_day_key UNIQUE (cashier, business_day)
    );

    CREATE TABLE cis.payments (
      id bigserial PRIMARY KEY,
      channel text NOT NULL CHECK (channel IN ('counter', 'bank_collection', 'bank_online', 'mobile', 'card_topup')),
      serial text NOT NULL CHECK (length(serial) BETWEEN 1 AND 100),
      method text NOT NULL CHECK (method IN ('cash', 'card', 'qr', 'cheque', 'transfer')),
      account_id bigint NOT NULL REFERENCES cis.accounts,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      tendered_fen bigint CHECK (tendered_fen >= amount_fen),
      -- several accounts of one customer paid in one go share a batch (the counter's serial)
      batch text NOT NULL,
      cashier text NOT NULL,
      session_id bigint REFERENCES cis.cashier_sessions,
      entry_id bigint NOT NULL REFERENCES cis.ledger_entries,
      business_day date NOT NULL,
      paid_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT payments_channel_serial_key UNIQUE (channel, serial)
    );
    CREATE INDEX payments_account ON cis.payments (account_id, id);
    CREATE INDEX payments_session ON cis.payments (session_id) WHERE session_id IS NOT NULL;
    CREATE INDEX payments_batch ON cis.payments (batch);
    CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON cis.payments
      FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();

    -- 冲正: a payment is reversed at most once (primary key); the payment row and its entry stay.
    CREATE TABLE cis.payment_reversals (
      payment_id bigint PRIMARY KEY REFERENCES cis.payments,
      entry_id bigint NOT NULL REFERENCES cis.ledger_entries,
      reason text NOT NULL CHECK (length(reason) > 0),
      reversed_by text NOT NULL,
      approved_by text,
      process_instance_key text,
      session_id bigint REFERENCES cis.cashier_sessions,
      reversed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TRIGGER payment_reversals_append_only BEFORE UPDATE OR DELETE ON cis.payment_reversals
      FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();

    -- 退费: prepaid credit paid back to the customer after approval.
    CREATE TABLE cis.credit_refunds (
      id bigserial PRIMARY KEY,
      account_id bigint NOT NULL REFERENCES cis.accounts,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      reason text NOT NULL,
      requested_by text NOT NULL,
      status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'paid', 'rejected')),
      process_instance_key text UNIQUE,
      entry_id bigint REFERENCES cis.ledger_entries,
      decided_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz
    );

    ALTER TABLE cis.customers ADD COLUMN receipt_preference text NOT NULL DEFAULT 'paper'
      CHECK (receipt_preference IN ('paper', 'einvoice', 'both'));

    -- Receipt stock (票据). Every form is a row, so a number exists once (primary key) and every gap in a
    -- range is a form with a state; its history is append-only.
    CREATE TABLE cis.receipt_form_types (
      code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9-]{1,20}$'),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('preprinted', 'plain', 'e-receipt')),
      -- field positions in millimetres; NULL: the default layout of the kind
      layout jsonb,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO cis.receipt_form_types (code, name, kind) VALUES
      ('SF', '水费收据（套打）', 'preprinted'), ('SF-A5', '水费收据（白纸）', 'plain'), ('E', '电子收据', 'e-receipt');

    CREATE TABLE cis.receipt_blocks (
      id bigserial PRIMARY KEY,
      form_type text NOT NULL REFERENCES cis.receipt_form_types,
      series text NOT NULL CHECK (series ~ '^[A-Z0-9]{0,12}$'),
      first_no bigint NOT NULL CHECK (first_no > 0),
      last_no bigint NOT NULL,
      digits smallint NOT NULL CHECK (digits BETWEEN 1 AND 12),
      received_by text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      note text NOT NULL DEFAULT '',
      CHECK (last_no >= first_no AND last_no - first_no < 100000)
    );

    CREATE TABLE cis.receipt_forms (
      form_type text NOT NULL,
      series text NOT NULL,
      form_no bigint NOT NULL,
      block_id bigint NOT NULL REFERENCES cis.receipt_blocks,
      state text NOT NULL DEFAULT 'unused'
        CHECK (state IN ('unused', 'issued', 'used', 'voided', 'print_failed', 'reprinted', 'lost')),
      cashier text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (form_type, series, form_no),
      CHECK ((state = 'unused') = (cashier IS NULL))
    );
    -- a cashier's next form: the lowest issued number of the type
    CREATE INDEX receipt_forms_next ON cis.receipt_forms (cashier, form_type, series, form_no) WHERE state = 'issued';
    CREATE INDEX receipt_forms_state ON cis.receipt_forms (state, cashier);

    CREATE TABLE cis.receipt_form_events (
      id bigserial PRIMARY KEY,
      form_type text NOT NULL,
      series text NOT NULL,
      form_no bigint NOT NULL,
      from_state text,
      to_state text NOT NULL,
      cashier text,
      actor text NOT NULL,
      reason text,
      receipt_id bigint,
      process_instance_key text,
      at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (form_type, series, form_no) REFERENCES cis.receipt_forms
    );
    CREATE INDEX receipt_form_events_form ON cis.receipt_form_events (form_type, series, form_no, id);
    CREATE TRIGGER receipt_form_events_append_only BEFORE UPDATE OR DELETE ON cis.receipt_form_events
      FOR EACH ROW EXECUTE FUNCTION cis.forbid_change();

    -- A printed (or e-) receipt of a payment batch: the document as printed, on which form.
    CREATE TABLE cis.receipts (
      id bigserial PRIMARY KEY,
      batch text NOT NULL,
      form_type text NOT NULL,
      series text NOT NULL,
      form_no bigint NOT NULL,
      document jsonb NOT NULL,
      reprint_of bigint REFERENCES cis.receipts,
      cashier text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (form_type, series, form_no) REFERENCES cis.receipt_forms,
      CONSTRAINT receipts_form_key UNIQUE (form_type, series, form_no)
    );
    CREATE INDEX receipts_batch ON cis.receipts (batch);

    -- 数电发票 issued through a provider (the local one in tests), and their red-letter reversals.
    CREATE TABLE cis.einvoices (
      id bigserial PRIMARY KEY,
      batch text NOT NULL,
      invoice_no text NOT NULL UNIQUE,
      provider text NOT NULL,
      status text NOT NULL CHECK (status IN ('issued', 'red-lettered', 'failed')),
      amount_fen bigint NOT NULL,
      pdf_path text,
      xml_path text,
      red_letter_no text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX einvoices_batch ON cis.einvoices (batch);

    -- Backfill: a reversal settles the bill or the fees it reverses; the rest settles oldest debt first.
    INSERT INTO cis.allocations (account_id, credit_entry_id, debit_entry_id, amount_fen)
    SELECT r.account_id, r.id, d.id, -d.amount_fen
    FROM cis.ledger_entries r
    JOIN cis.ledger_entries d ON d.bill_id = r.bill_id
     AND d.kind = CASE r.kind WHEN 'bill_reversal' THEN 'bill' ELSE 'late_fee' END
    WHERE r.kind IN ('bill_reversal', 'late_fee_reversal');
  `);
  await knex.raw(SETTLE_FUNCTION);
  // Engine grants of the counter's approvals (migration 0017's shape): cashiers ask for reversals and voids,
  // cashiers and clerks for refunds; a cashier's payment announces `arrears-settled` to waiting account processes.
  const grants: Array<[string, string, string, string[]]> = [
    ['cashier', 'PROCESS_DEFINITION', 'payment-reversal', ['CREATE_PROCESS_INSTANCE']],
    ['cashier', 'PROCESS_DEFINITION', 'credit-refund', ['CREATE_PROCESS_INSTANCE']],
    ['cashier', 'PROCESS_DEFINITION', 'receipt-void', ['CREATE_PROCESS_INSTANCE']],
    ['clerk', 'PROCESS_DEFINITION', 'credit-refund', ['CREATE_PROCESS_INSTANCE']],
    ['cashier', 'MESSAGE', '*', ['CREATE']],
  ];
  for (const [owner, resourceType, resourceId, permissions] of grants)
    await knex.raw(
      `INSERT INTO engine.authorizations (owner_type, owner_id, resource_type, resource_id, permission_types)
       VALUES ('ROLE', ?, ?, ?, ?::text[])
       ON CONFLICT (owner_type, owner_id, resource_type, resource_id)
       DO UPDATE SET permission_types = ARRAY(SELECT DISTINCT unnest(authorizations.permission_types || EXCLUDED.permission_types))`,
      [owner, resourceType, resourceId, permissions],
    );
  const ids = await knex('cis.ledger_entries').distinct('account_id').pluck('account_id');
  if (ids.length > 0) await knex.raw(SETTLE_SQL, { accountIds: ids.map(Number) });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DELETE FROM engine.authorizations WHERE owner_type = 'ROLE'
      AND ((owner_id IN ('cashier', 'clerk') AND resource_type = 'PROCESS_DEFINITION'
            AND resource_id IN ('payment-reversal', 'credit-refund', 'receipt-void'))
        OR (owner_id = 'cashier' AND resource_type = 'MESSAGE'));
    DROP TABLE IF EXISTS cis.einvoices, cis.receipts, cis.receipt_form_events, cis.receipt_forms,
      cis.receipt_blocks, cis.receipt_form_types, cis.credit_refunds, cis.payment_reversals, cis.payments,
      cis.cashier_sessions, cis.payment_settings, cis.allocations;
    DROP FUNCTION IF EXISTS cis.settle_accounts(bigint[]);
    DROP INDEX IF EXISTS cis.ledger_entries_account_sign, cis.ledger_entries_payment_ref;
    ALTER TABLE cis.customers DROP COLUMN IF EXISTS receipt_preference;
  `);
}
