import type { Knex } from 'knex';
import type { VoidResult } from '../../contracts/receipts.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { inTransaction } from '../transaction.js';
import { conflict, refusals } from './errors.js';
import { findForm, PENDING_VOID_SQL, rangeOf, VOID_APPROVED, VOID_REFUSED, VOID_REQUESTED } from './forms.js';
import { parse, ReasonInput, VoidDecisionInput } from './schemas.js';
import { canMove, moveForms, noteForm, type FormState } from './states.js';

export type { VoidResult };

async function pendingRequest(trx: Knex.Transaction, form: { formType: string; series: string; formNo: number }) {
  const { rows } = await trx.raw(
    `SELECT e.id, e.reason, e.actor FROM cis.receipt_form_events e
     WHERE e.id = (SELECT ${PENDING_VOID_SQL} FROM cis.receipt_forms f
                   WHERE f.form_type = ? AND f.series = ? AND f.form_no = ?)`,
    [form.formType, form.series, form.formNo],
  );
  const r = rows[0] as { reason: string; actor: string } | undefined;
  return r ? { reason: r.reason.slice(VOID_REQUESTED.length), requestedBy: r.actor } : null;
}

/**
 * 作废申请: records why a form should be voided; the form keeps its state (and is not printed on) until the
 * `receipt-void` approval decides. Only issued, used and print-failed forms can be voided; one request at a time.
 */
export async function requestVoid(knex: Knex, formRef: unknown, reasonIn: unknown, ctx: ChangeContext) {
  const reason = parse(ReasonInput, reasonIn, 'reason');
  return inTransaction(knex, 'requestVoid', ctx, refusals, async (trx, c): Promise<VoidResult> => {
    const form = await findForm(trx, formRef, true);
    if (!canMove(form.state, 'voided'))
      throw conflict('illegal_transition', `${form.label} is ${form.state}: ${form.state} → voided is not allowed`);
    const open = await pendingRequest(trx, form);
    if (open)
      throw conflict('void_pending', `${form.label}: ${open.requestedBy} asked to void it already (${open.reason})`);
    await noteForm(trx, form, {
      actor: c.actor,
      reason: VOID_REQUESTED + reason,
      processInstanceKey: c.processInstanceKey,
    });
    await writeAudit(trx, c, [
      { action: 'void_requested', entity: 'receipt_form', entityId: form.label, after: { state: form.state, reason } },
    ]);
    return { form: form.label, state: form.state, pending: true, reason };
  });
}

/**
 * 作废审批: the approver's decision on the open request. Approved, the form is voided for ever (its receipt with
 * it); refused, it keeps its state and can be printed on again. No open request: 409 `no_void_request`.
 */
export async function decideVoid(
  knex: Knex,
  formRef: unknown,
  approved: boolean,
  ctx: ChangeContext,
  note = '',
): Promise<VoidResult> {
  const d = parse(VoidDecisionInput, { approved, note });
  return inTransaction(knex, 'decideVoid', ctx, refusals, async (trx, c) => {
    const form = await findForm(trx, formRef, true);
    const open = await pendingRequest(trx, form);
    if (!open) throw conflict('no_void_request', `${form.label} (${form.state}) has no open void request`);
    const pik = c.processInstanceKey;
    if (d.approved)
      await moveForms(trx, rangeOf(form), {
        to: 'voided',
        actor: c.actor,
        reason: VOID_APPROVED + open.reason,
        processInstanceKey: pik,
      });
    else
      await noteForm(trx, form, {
        actor: c.actor,
        reason: VOID_REFUSED + (d.note || open.reason),
        processInstanceKey: pik,
      });
    const state: FormState = d.approved ? 'voided' : form.state;
    await writeAudit(trx, c, [
      {
        action: d.approved ? 'voided' : 'void_refused',
        entity: 'receipt_form',
        entityId: form.label,
        before: { state: form.state, requestedBy: open.requestedBy, reason: open.reason },
        after: { state, note: d.note },
      },
    ]);
    return { form: form.label, state, pending: false, reason: open.reason };
  });
}
