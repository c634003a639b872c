import type { Knex } from 'knex';
import { notFound } from './errors.js';
import { FormRefInput, parse } from './schemas.js';
import { formLabel, type FormState } from './states.js';

type Db = Knex | Knex.Transaction;

export interface FormRow {
  formType: string;
  series: string;
  formNo: number;
  digits: number;
  state: FormState;
  cashier: string | null;
  blockId: number;
  /** `SF A 0000123`: how the form is named in messages and on screens. */
  label: string;
}

// The reasons that mark a void request and its refusal in a form's history (the state does not change until
// the approval, which moves the form to voided).
export const VOID_REQUESTED = 'void requested: ';
export const VOID_REFUSED = 'void refused: ';
export const VOID_APPROVED = 'void approved: ';

/**
 * The form's open void request (the latest of request, refusal and approval is a request), as a SQL expression
 * over a form aliased `f`; NULL when there is none.
 */
export const PENDING_VOID_SQL = `(
  SELECT CASE WHEN e.reason LIKE '${VOID_REQUESTED}%' THEN e.id END FROM cis.receipt_form_events e
  WHERE e.form_type = f.form_type AND e.series = f.series AND e.form_no = f.form_no
    AND (e.reason LIKE '${VOID_REQUESTED}%' OR e.reason LIKE '${VOID_REFUSED}%' OR e.to_state = 'voided')
  ORDER BY e.id DESC LIMIT 1)`;

/** A form by type, series and number (404 when it is not in stock); with `lock`, its row is locked. */
export async function findForm(db: Db, ref: unknown, lock = false): Promise<FormRow> {
  const v = parse(FormRefInput, ref, 'form');
  const q = db('cis.receipt_forms as f')
    .join('cis.receipt_blocks as b', 'b.id', 'f.block_id')
    .where({ 'f.form_type': v.formType, 'f.series': v.series, 'f.form_no': Number(v.formNo) })
    .first('f.form_type', 'f.series', 'f.form_no', 'f.state', 'f.cashier', 'f.block_id', 'b.digits');
  const row = await (lock ? q.forUpdate('f') : q);
  if (!row) throw notFound('receipt form', formLabel(v.formType, v.series, v.formNo, v.formNo.length));
  return toForm(row);
}

export function toForm(row: Record<string, unknown>): FormRow {
  const digits = Number(row.digits);
  return {
    formType: String(row.form_type),
    series: String(row.series),
    formNo: Number(row.form_no),
    digits,
    state: row.state as FormState,
    cashier: (row.cashier as string | null) ?? null,
    blockId: Number(row.block_id),
    label: formLabel(String(row.form_type), String(row.series), Number(row.form_no), digits),
  };
}

/** The single-form range moveForms takes. */
export const rangeOf = (f: FormRow) => ({ formType: f.formType, series: f.series, from: f.formNo, to: f.formNo });
