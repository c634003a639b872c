import type { Knex } from 'knex';
import type { FormState } from '../../contracts/receipts.js';
import { conflict, notFound } from './errors.js';

export type { FormState };

export const FORM_STATES = [
  'unused',
  'issued',
  'used',
  'voided',
  'print_failed',
  'reprinted',
  'lost',
] as const satisfies readonly FormState[];
// Compiles only while FORM_STATES lists every state of the contract (`satisfies` checks the other way round).
type Listed<T extends true> = T;
type _EveryStateListed = Listed<[Exclude<FormState, (typeof FORM_STATES)[number]>] extends [never] ? true : false>;

/**
 * Every move a receipt form may make; anything else is a 409 naming from and to. Voided and lost are for ever
 * (a number is never used twice), and a reprinted form's receipt lives on in its reprint.
 */
export const TRANSITIONS: Record<FormState, readonly FormState[]> = {
  unused: ['issued', 'lost'], // 领用; lost from the safe
  issued: ['unused', 'used', 'voided', 'lost'], // 退回; printed on; voided blank (spoilt); lost at the window
  used: ['print_failed', 'reprinted', 'voided'],
  print_failed: ['voided'],
  reprinted: [],
  voided: [],
  lost: [],
};

export const canMove = (from: FormState, to: FormState) => TRANSITIONS[from].includes(to);

export const pad = (formNo: number | string, digits: number) => String(formNo).padStart(digits, '0');

/** A form's number as people read it: type, series (when there is one) and the zero-padded number. */
export const formLabel = (formType: string, series: string, formNo: number | string, digits: number) =>
  [formType, series, pad(formNo, digits)].filter(Boolean).join(' ');

export interface FormRange {
  formType: string;
  series: string;
  from: number;
  to: number;
}

export interface FormMove {
  to: FormState;
  /** Each form must be held by this cashier (null: by nobody). Unset: whoever holds it. */
  heldBy?: string | null;
  /**
   * The holder after the move; undefined keeps the current one, or makes the actor answer for a form nobody held
   * (a form leaving the safe as lost). Unused forms are held by nobody, every other state by somebody.
   */
  cashier?: string | null;
  actor: string;
  reason?: string | null;
  receiptId?: number | null;
  processInstanceKey?: string | null;
}

/**
 * The one way a form changes state: the forms of the range are locked, every one must exist, be allowed to make
 * the move and be held by the right cashier — else a 404/409 naming the first offenders and nothing changes —
 * then, per state they come from, one UPDATE moves them and its INSERT … SELECT appends an event per form.
 */
export async function moveForms(
  trx: Knex.Transaction,
  range: FormRange,
  move: FormMove,
): Promise<{ count: number; digits: number }> {
  const allowedFrom = FORM_STATES.filter((s) => canMove(s, move.to));
  const params = { ...range, allowedFrom, heldBy: move.heldBy ?? null, checkHolder: move.heldBy !== undefined };
  const {
    rows: [check],
  } = await trx.raw(
    `WITH locked AS (
       SELECT f.form_no, f.state, f.cashier, b.digits
       FROM cis.receipt_forms f JOIN cis.receipt_blocks b ON b.id = f.block_id
       WHERE f.form_type = :formType AND f.series = :series AND f.form_no BETWEEN :from AND :to
       ORDER BY f.form_no FOR UPDATE OF f
     ), bad AS (
       SELECT * FROM locked
       WHERE NOT (state = ANY(:allowedFrom::text[]))
          OR (:checkHolder::boolean AND cashier IS DISTINCT FROM :heldBy::text)
       ORDER BY form_no LIMIT 5
     )
     SELECT (SELECT count(*) FROM locked)::int AS n, (SELECT max(digits) FROM locked) AS digits,
            (SELECT coalesce(json_agg(bad ORDER BY form_no), '[]') FROM bad) AS bad`,
    params,
  );
  const expected = range.to - range.from + 1;
  const digits = Number(check.digits ?? 0);
  const label = (no: number | string) => formLabel(range.formType, range.series, no, digits);
  if (check.n !== expected) {
    if (expected === 1) throw notFound('receipt form', label(range.from));
    throw notFound(
      'receipt form range',
      `${label(range.from)}–${pad(range.to, digits)} (${expected - check.n} of ${expected} numbers not in stock)`,
    );
  }
  const bad = check.bad as Array<{ form_no: string; state: FormState; cashier: string | null }>;
  if (bad.length > 0) {
    const wrongState = bad.filter((b) => !canMove(b.state, move.to));
    const holder = (b: (typeof bad)[number]) => (b.cashier ? ` (${b.cashier})` : '');
    if (wrongState.length > 0)
      throw conflict(
        'illegal_transition',
        `${wrongState.map((b) => `${label(b.form_no)} is ${b.state}${holder(b)}`).join('; ')}: ` +
          `${wrongState[0].state} → ${move.to} is not allowed`,
      );
    throw conflict(
      'not_held',
      `${bad.map((b) => `${label(b.form_no)} is ${b.cashier ? `held by ${b.cashier}` : 'held by nobody'}`).join('; ')}` +
        `, not by ${move.heldBy ?? 'nobody'}`,
    );
  }
  const keepHolder = move.cashier === undefined;
  // One UPDATE per state the forms may come from, so each event knows its from-state without joining the table
  // to itself (a self-join the planner may run as a nested loop on a freshly received block). The target state is
  // never a from-state of the same move, so a form moves once. Only a move to unused clears the holder, and then
  // the check above made `heldBy` the holder the event names.
  let count = 0;
  for (const fromState of allowedFrom) {
    const { rowCount } = await trx.raw(
      `WITH moved AS (
         UPDATE cis.receipt_forms f
         SET state = :to, updated_at = now(),
             cashier = CASE WHEN :keepHolder::boolean THEN coalesce(f.cashier, :actor) ELSE :cashier::text END
         WHERE f.form_type = :formType AND f.series = :series AND f.form_no BETWEEN :from AND :toNo
           AND f.state = :fromState
         RETURNING f.form_type, f.series, f.form_no, coalesce(f.cashier, :heldBy::text) AS cashier
       )
       INSERT INTO cis.receipt_form_events
         (form_type, series, form_no, from_state, to_state, cashier, actor, reason, receipt_id, process_instance_key)
       SELECT form_type, series, form_no, :fromState, :to, cashier, :actor, :reason, :receiptId, :pik
       FROM moved ORDER BY form_no`,
      {
        formType: range.formType,
        series: range.series,
        from: range.from,
        toNo: range.to,
        fromState,
        to: move.to,
        keepHolder,
        cashier: move.cashier ?? null,
        heldBy: move.heldBy ?? null,
        actor: move.actor,
        reason: move.reason ?? null,
        receiptId: move.receiptId ?? null,
        pik: move.processInstanceKey ?? null,
      },
    );
    count += rowCount ?? 0;
  }
  return { count, digits };
}

/**
 * An event that records something about a form without moving it (a void requested or refused, the receipt that
 * reprinted a failed print): the state stays, the history says why.
 */
export async function noteForm(
  trx: Knex.Transaction,
  form: { formType: string; series: string; formNo: number },
  note: { actor: string; reason: string; receiptId?: number | null; processInstanceKey?: string | null },
): Promise<void> {
  await trx.raw(
    `INSERT INTO cis.receipt_form_events
       (form_type, series, form_no, from_state, to_state, cashier, actor, reason, receipt_id, process_instance_key)
     SELECT form_type, series, form_no, state, state, cashier, :actor, :reason, :receiptId, :pik
     FROM cis.receipt_forms WHERE form_type = :formType AND series = :series AND form_no = :formNo`,
    {
      ...form,
      actor: note.actor,
      reason: note.reason,
      receiptId: note.receiptId ?? null,
      pik: note.processInstanceKey ?? null,
    },
  );
}
