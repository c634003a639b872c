/**
 * Posts one submission of a payment (one serial, one or more accounts) in one statement: the function below does
 * what domain/payments/post.ts checks and answers, inside the statement's own transaction.
 *
 * Why a function: a counter payment used to be ~17 statements, each its own round trip and its own parse and
 * plan, and on a 2-core machine the round trips (each wakes the backend and the app in turn) cost more than the
 * work. A PL/pgSQL function keeps its plans per connection and needs one round trip (payment-post bench).
 *
 * Refusals are raised with SQLSTATE class `AQ`: AQ404 (not found, DETAIL the missing key), AQ409 (conflict,
 * HINT the code, DETAIL the field); domain/payments/post.ts turns them into its own refusals. A raise rolls
 * back everything the call wrote.
 *
 * Rows written per account are those of the rest of the ledger: a `payment` entry (unique per kind and ref), a
 * `cis.payments` row, the settlement (cis.settle_accounts) and a `paid` audit row as domain/audit writes it; a
 * payment that clears arrears a process waits for takes the account's `cis.settlement_waits` row.
 * Created by migration 0023 (which also gives cis.settle_accounts generic plans, see plan_cache_mode below),
 * replaced by 0033 (settlement waits).
 */
export const POST_PAYMENT_SQL = `SELECT cis.post_payment(:channel, :serial, :method, :actor, CAST(:tendered AS bigint),
  CAST(:items AS jsonb), :fingerprint, :processInstanceKey, :taskKey) AS result`;

/** The key of a cashier's day: payments and counter reversals hold it shared, the daily close exclusively. */
export const CASHIER_DAY_LOCK_FUNCTION = `
CREATE OR REPLACE FUNCTION cis.cashier_day_lock_key(cashier text, business_day date) RETURNS bigint
  LANGUAGE sql STABLE AS $fn$
    SELECT hashtextextended('cashier-day:' || cashier || ':' || to_char(business_day, 'YYYY-MM-DD'), 7)
  $fn$`;

export const POST_PAYMENT_FUNCTION = `
CREATE OR REPLACE FUNCTION cis.post_payment(
  p_channel text, p_serial text, p_method text, p_actor text, p_tendered bigint, p_items jsonb, p_fingerprint text,
  p_process_instance_key text, p_task_key text
) RETURNS jsonb LANGUAGE plpgsql
-- Custom plans were chosen and made anew on every call (their estimate beat the generic one's), which cost more
-- than running the statements; the generic plans are as good here, since every statement looks up by key.
SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
  v_key text := 'payment:' || p_channel || ':' || p_serial;
  v_done jsonb;
  v_total bigint := (SELECT sum((i->>'amount')::bigint) FROM jsonb_array_elements(p_items) i);
  v_count int := jsonb_array_length(p_items);
  v_session_id bigint;
  v_closed timestamptz;
  v_day text;
  v_item jsonb;
  v_n int := 0;
  v_account record;
  v_serial text;
  v_amount bigint;
  v_entry_id bigint;
  v_payment_id bigint;
  v_settled jsonb;
  v_settled_fen bigint;
  v_balance bigint;
  v_awaited boolean;
  v_payments jsonb := '[]';
  v_result jsonb;
BEGIN
  -- A double click or a repeated callback waits here for the first one, then answers with its result.
  PERFORM pg_advisory_xact_lock(hashtextextended(v_key, 5));
  SELECT result INTO v_done FROM cis.idempotency_keys WHERE key = v_key;
  IF FOUND THEN
    IF v_done->>'fingerprint' IS DISTINCT FROM p_fingerprint THEN
      RAISE EXCEPTION 'serial % was posted on % for % with other accounts or amounts', p_serial,
        v_done->>'businessDay', to_char((v_done->>'totalFen')::bigint / 100.0, 'FM9999999999990.00')
        USING ERRCODE = 'AQ409', HINT = 'serial_reused', DETAIL = 'serial';
    END IF;
    RETURN (v_done - 'fingerprint') || '{"replayed": true}';
  END IF;
  -- one (channel, serial) across the counter: a new connection's fee payment (cis.case_fee_payments, which takes
  -- the same lock) used it already
  IF EXISTS (SELECT 1 FROM cis.case_fee_payments WHERE channel = p_channel AND serial = p_serial) THEN
    RAISE EXCEPTION 'serial % was used for a case fee payment', p_serial
      USING ERRCODE = 'AQ409', HINT = 'serial_reused', DETAIL = 'serial';
  END IF;

  SELECT to_char(now() AT TIME ZONE time_zone, 'YYYY-MM-DD') INTO v_day FROM cis.payment_settings;
  IF p_channel = 'counter' THEN
    -- The cashier's session of the day, opened by the first payment. The day's lock is shared: one cashier's
    -- payments post side by side, while a close (exclusive) waits for them and every later payment sees the
    -- session closed. (A row lock FOR SHARE did the same, but sixteen sharers of one row cost a multixact each.)
    PERFORM pg_advisory_xact_lock_shared(cis.cashier_day_lock_key(p_actor, CAST(v_day AS date)));
    SELECT id, closed_at INTO v_session_id, v_closed FROM cis.cashier_sessions
    WHERE cashier = p_actor AND business_day = CAST(v_day AS date);
    IF NOT FOUND THEN
      INSERT INTO cis.cashier_sessions (cashier, business_day) VALUES (p_actor, CAST(v_day AS date))
      ON CONFLICT (cashier, business_day) DO NOTHING;
      SELECT id, closed_at INTO v_session_id, v_closed FROM cis.cashier_sessions
      WHERE cashier = p_actor AND business_day = CAST(v_day AS date);
    END IF;
    IF v_closed IS NOT NULL THEN
      RAISE EXCEPTION '% closed the day % (日结): no more payments on it', p_actor, v_day
        USING ERRCODE = 'AQ409', HINT = 'session_closed';
    END IF;
  END IF;

  -- Several accounts are locked in id order first, as the ledger locks accounts elsewhere: two submissions over
  -- the same accounts never deadlock. One account is locked where it is read.
  IF v_count > 1 THEN
    PERFORM 1 FROM cis.accounts
    WHERE account_no IN (SELECT i->>'accountNo' FROM jsonb_array_elements(p_items) i) ORDER BY id FOR UPDATE;
  END IF;

  FOR v_item IN SELECT * FROM jsonb_array_elements(p_items) LOOP
    SELECT id, account_no, status INTO v_account FROM cis.accounts WHERE account_no = v_item->>'accountNo' FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'account % does not exist', v_item->>'accountNo' USING ERRCODE = 'AQ404', DETAIL = 'account';
    END IF;
    IF v_account.status = 'closed' THEN
      RAISE EXCEPTION 'account % is closed', v_account.account_no
        USING ERRCODE = 'AQ409', HINT = 'account_closed', DETAIL = 'items.' || v_n || '.accountNo';
    END IF;
    v_amount := (v_item->>'amount')::bigint;
    v_serial := CASE WHEN v_count = 1 THEN p_serial ELSE p_serial || '#' || (v_n + 1) END;

    -- Settled, an account holds open credit or open debt, not both: its balance tells which and how much.
    SELECT coalesce(sum(amount_fen), 0) INTO v_balance FROM cis.ledger_entries WHERE account_id = v_account.id;

    INSERT INTO cis.ledger_entries (account_id, kind, amount_fen, ref)
    VALUES (v_account.id, 'payment', v_amount, 'payment:' || p_channel || ':' || v_serial)
    ON CONFLICT DO NOTHING RETURNING id INTO v_entry_id;
    IF v_entry_id IS NULL THEN
      RAISE EXCEPTION 'serial % was posted before', v_serial USING ERRCODE = 'AQ409', HINT = 'serial_reused', DETAIL = 'serial';
    END IF;
    INSERT INTO cis.payments (channel, serial, method, account_id, amount_fen, tendered_fen, batch, cashier,
                              session_id, entry_id, business_day)
    VALUES (p_channel, v_serial, p_method, v_account.id, v_amount,
            CASE WHEN v_count = 1 THEN p_tendered END, -- a batch's tender is the batch's
            p_serial, p_actor, v_session_id, v_entry_id, CAST(v_day AS date))
    RETURNING id INTO v_payment_id;

    -- What this payment settled: only an account that owed (balance below 0) has open debts to settle; one
    -- with credit or nothing open keeps the payment as credit, and the settlement need not look.
    v_settled := '[]';
    v_settled_fen := 0;
    IF v_balance < 0 THEN
      SELECT coalesce(jsonb_agg(jsonb_build_object('entryId', s.debit_entry_id, 'kind', s.kind, 'billId', s.bill_id,
                                                   'period', s.period, 'amountFen', s.amount_fen)), '[]'),
             coalesce(sum(s.amount_fen), 0)
        INTO v_settled, v_settled_fen
      FROM cis.settle_accounts(ARRAY[v_account.id]) s WHERE s.credit_entry_id = v_entry_id;
    END IF;
    v_balance := v_balance + v_amount;

    -- A process that found these arrears (transfer, demolition: account-balance-check) waits to see them settled.
    -- This payment takes its wait and the server tells it; an account nobody waits for announces nothing.
    v_awaited := false;
    IF v_settled_fen > 0 AND v_balance >= 0 THEN
      DELETE FROM cis.settlement_waits WHERE account_id = v_account.id;
      v_awaited := FOUND;
    END IF;

    INSERT INTO cis.audit_log (actor, action, entity, entity_id, account_id, before, after, process_instance_key, task_key)
    VALUES (p_actor, 'paid', 'payment', v_payment_id::text, v_account.id,
            jsonb_build_object('balanceFen', v_balance - v_amount),
            jsonb_build_object('channel', p_channel, 'serial', v_serial, 'method', p_method, 'amountFen', v_amount,
                               'balanceFen', v_balance),
            p_process_instance_key, p_task_key);

    v_payments := v_payments || jsonb_build_object(
      'paymentId', v_payment_id, 'accountNo', v_account.account_no, 'amountFen', v_amount, 'settled', v_settled,
      'creditAfterFen', greatest(v_balance, 0), 'arrearsAfterFen', greatest(-v_balance, 0),
      -- the account owed before (this payment settled some of it) and owes nothing now
      'arrearsCleared', v_settled_fen > 0 AND v_balance >= 0, 'settlementAwaited', v_awaited);
    v_n := v_n + 1;
  END LOOP;

  v_result := jsonb_build_object(
    'batch', p_serial, 'channel', p_channel, 'method', p_method, 'cashier', p_actor, 'businessDay', v_day,
    'paidAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'totalFen', v_total,
    'tenderedFen', p_tendered, 'changeFen', coalesce(p_tendered - v_total, 0), 'replayed', false,
    'payments', v_payments);
  INSERT INTO cis.idempotency_keys (key, operation, result)
  VALUES (v_key, 'postPayment', v_result || jsonb_build_object('fingerprint', p_fingerprint));
  RETURN v_result;
END
$fn$`;

/**
 * Several submissions in one statement and one transaction (domain/payments/post-group.ts gathers the ones that
 * arrive together). Each runs in a subtransaction of its own: a refusal or a deadlock rolls back that submission
 * only and comes back as its `error` (SQLSTATE, message, hint, detail) in the submission's place.
 */
export const POST_PAYMENTS_SQL = `SELECT cis.post_payments(CAST(:submissions AS jsonb)) AS results`;

export const POST_PAYMENTS_FUNCTION = `
CREATE OR REPLACE FUNCTION cis.post_payments(p_submissions jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_s jsonb;
  v_results jsonb[] := '{}';
  v_state text;
  v_message text;
  v_hint text;
  v_detail text;
BEGIN
  FOR v_s IN SELECT * FROM jsonb_array_elements(p_submissions) LOOP
    BEGIN
      v_results := v_results || jsonb_build_object('result', cis.post_payment(
        v_s->>'channel', v_s->>'serial', v_s->>'method', v_s->>'actor', CAST(v_s->>'tendered' AS bigint),
        v_s->'items', v_s->>'fingerprint', v_s->>'processInstanceKey', v_s->>'taskKey'));
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_hint = PG_EXCEPTION_HINT,
                              v_detail = PG_EXCEPTION_DETAIL;
      v_results := v_results || jsonb_build_object('error', jsonb_build_object('code', v_state, 'message', v_message,
        'hint', v_hint, 'detail', v_detail));
    END;
  END LOOP;
  RETURN to_jsonb(v_results);
END
$fn$`;
