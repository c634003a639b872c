import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { IssuedReceipt, PrintFailedResult, ReceiptDocument, ReceiptLayout } from '../../contracts/receipts.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { inTransaction } from '../transaction.js';
import { batchPayments, receiptBody } from './document.js';
import { conflict, invalid, notFound, refusals } from './errors.js';
import { PENDING_VOID_SQL, rangeOf, toForm, type FormRow } from './forms.js';
import { BatchInput, IssueReceiptInput, parse } from './schemas.js';
import { formLabel, moveForms, noteForm, pad } from './states.js';

export type { IssuedReceipt, PrintFailedResult };

const PAPER = ['preprinted', 'plain'];

/** Receipts of one batch are issued one at a time, so "one live receipt per batch" holds. */
const lockBatch = (trx: Knex.Transaction, batch: string) =>
  trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 5))', [`receipt-batch:${batch}`]);

/** Verification tokens: the receipt id and a random part, so receipts cannot be looked up by counting. */
export const newToken = (receiptId: number) => `${receiptId}-${crypto.randomBytes(5).toString('hex')}`;

async function formTypeOf(trx: Knex.Transaction, code: string) {
  const t = await trx('cis.receipt_form_types').where({ code }).first('code', 'kind', 'layout');
  if (!t) throw notFound('form type', code);
  return t as { code: string; kind: string; layout: ReceiptLayout | null };
}

/** Without a form type: the paper type the cashier holds blank forms of, when there is exactly one. */
async function defaultFormType(trx: Knex.Transaction, cashier: string): Promise<string> {
  const held: string[] = await trx('cis.receipt_forms as f')
    .join('cis.receipt_form_types as t', 't.code', 'f.form_type')
    .where({ 'f.cashier': cashier, 'f.state': 'issued' })
    .whereIn('t.kind', PAPER)
    .distinct('f.form_type')
    .orderBy('f.form_type')
    .pluck('f.form_type');
  if (held.length === 0) throw conflict('no_forms', `${cashier} holds no blank receipt forms: draw forms (领用) first`);
  if (held.length > 1) throw invalid('formType', `${cashier} holds forms of ${held.join(', ')}: say which to print on`);
  return held[0];
}

/**
 * The cashier's next form: the lowest issued number of the type they hold (forms waiting for a void decision
 * skipped). Rows another transaction took are skipped, so two windows of one cashier never print one number.
 */
async function takeNextForm(trx: Knex.Transaction, cashier: string, formType: string): Promise<FormRow> {
  const { rows } = await trx.raw(
    `SELECT f.form_type, f.series, f.form_no, f.state, f.cashier, f.block_id, b.digits
     FROM cis.receipt_forms f JOIN cis.receipt_blocks b ON b.id = f.block_id
     WHERE f.cashier = ? AND f.form_type = ? AND f.state = 'issued' AND ${PENDING_VOID_SQL} IS NULL
     ORDER BY f.series, f.form_no LIMIT 1
     FOR UPDATE OF f SKIP LOCKED`,
    [cashier, formType],
  );
  if (!rows[0])
    throw conflict('no_forms', `${cashier} has no blank ${formType} forms left: draw forms (领用) first`, 'cashier');
  return toForm(rows[0]);
}

interface Earlier {
  id: number;
  batch: string;
  formType: string;
  document: ReceiptDocument;
  form: FormRow;
}

async function earlierReceipt(trx: Knex.Transaction, receiptId: number): Promise<Earlier> {
  const r = await trx('cis.receipts as r')
    .join('cis.receipt_forms as f', function () {
      this.on('f.form_type', 'r.form_type').andOn('f.series', 'r.series').andOn('f.form_no', 'r.form_no');
    })
    .join('cis.receipt_blocks as b', 'b.id', 'f.block_id')
    .where('r.id', receiptId)
    .forUpdate('f')
    .first(
      'r.id',
      'r.batch',
      'r.document',
      'f.form_type',
      'f.series',
      'f.form_no',
      'f.state',
      'f.cashier',
      'f.block_id',
      'b.digits',
    );
  if (!r) throw notFound('receipt', receiptId);
  return { id: Number(r.id), batch: r.batch, formType: r.form_type, document: r.document, form: toForm(r) };
}

/**
 * Prints a batch's receipt on the cashier's next form, inside the caller's transaction. A reprint (补打) carries
 * the earlier receipt's document with the earlier number; the earlier form then goes used → reprinted, or, when
 * its print failed, stays print_failed with an event naming the new receipt.
 */
async function issueOnNextForm(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  batch: string,
  opts: { formType?: string; cashier: string; reprintOf?: number },
): Promise<IssuedReceipt> {
  await lockBatch(trx, batch);
  const payments = await batchPayments(trx, batch);
  const earlier = opts.reprintOf === undefined ? null : await earlierReceipt(trx, opts.reprintOf);
  if (earlier && earlier.batch !== batch)
    throw conflict('other_batch', `receipt ${earlier.id} is of batch ${earlier.batch}, not ${batch}`, 'reprintOf');
  const code = opts.formType ?? earlier?.formType ?? (await defaultFormType(trx, opts.cashier));
  const type = await formTypeOf(trx, code);
  if (earlier) {
    if (earlier.form.state === 'print_failed') {
      const again = await trx('cis.receipts').where({ reprint_of: earlier.id }).first('id');
      if (again)
        throw conflict('already_reprinted', `${earlier.form.label} was reprinted as receipt ${again.id}`, 'reprintOf');
    } else if (earlier.form.state !== 'used')
      throw conflict(
        'illegal_transition',
        `${earlier.form.label} is ${earlier.form.state}: it cannot be reprinted`,
        'reprintOf',
      );
  } else {
    const live = await trx('cis.receipts as r')
      .join('cis.receipt_forms as f', function () {
        this.on('f.form_type', 'r.form_type').andOn('f.series', 'r.series').andOn('f.form_no', 'r.form_no');
      })
      .join('cis.receipt_form_types as t', 't.code', 'r.form_type')
      .join('cis.receipt_blocks as b', 'b.id', 'f.block_id')
      .where({ 'r.batch': batch, 'f.state': 'used' })
      .whereIn('t.kind', type.kind === 'e-receipt' ? ['e-receipt'] : PAPER)
      .first('r.id', 'r.form_type', 'r.series', 'r.form_no', 'b.digits');
    if (live)
      throw conflict(
        'already_receipted',
        `batch ${batch} has receipt ${formLabel(live.form_type, live.series, live.form_no, live.digits)}: reprint it instead`,
      );
  }
  const form = await takeNextForm(trx, opts.cashier, type.code);
  const settings = await trx('cis.payment_settings').first('verify_base_url');
  const {
    rows: [{ id }],
  } = await trx.raw(`SELECT nextval(pg_get_serial_sequence('cis.receipts', 'id')) AS id`);
  const receiptId = Number(id);
  const body = earlier ? earlier.document : await receiptBody(trx, batch, opts.cashier, new Date());
  const document: ReceiptDocument = {
    ...body,
    formType: form.formType,
    series: form.series,
    formNo: pad(form.formNo, form.digits),
    verifyUrl: settings.verify_base_url + newToken(receiptId),
    ...(earlier ? { reprintOf: earlier.form.label } : {}),
  };
  await trx('cis.receipts').insert({
    id: receiptId,
    batch,
    form_type: form.formType,
    series: form.series,
    form_no: form.formNo,
    document: JSON.stringify(document),
    reprint_of: earlier?.id ?? null,
    cashier: opts.cashier,
  });
  const pik = ctx.processInstanceKey;
  await moveForms(trx, rangeOf(form), {
    to: 'used',
    heldBy: opts.cashier,
    actor: ctx.actor,
    reason: earlier ? `reprint of ${earlier.form.label}, batch ${batch}` : `receipt of batch ${batch}`,
    receiptId,
    processInstanceKey: pik,
  });
  if (earlier) {
    const note = { actor: ctx.actor, reason: `reprinted on ${form.label}`, receiptId, processInstanceKey: pik };
    if (earlier.form.state === 'used') await moveForms(trx, rangeOf(earlier.form), { to: 'reprinted', ...note });
    else await noteForm(trx, earlier.form, note);
  }
  await writeAudit(trx, ctx, [
    {
      action: earlier ? 'reprinted' : 'issued',
      entity: 'receipt',
      entityId: receiptId,
      accountId: payments[0].accountId,
      after: { batch, form: form.label, amountFen: document.amountFen, reprintOf: earlier?.form.label },
    },
  ]);
  return {
    receiptId,
    formType: form.formType,
    series: form.series,
    formNo: document.formNo,
    document,
    layout: type.layout ?? null,
  };
}

/** 开票: the receipt of a posted payment batch on the cashier's next form of the type. */
export async function issueReceipt(knex: Knex, batchIn: unknown, input: unknown, ctx: ChangeContext) {
  const batch = parse(BatchInput, batchIn, 'batch');
  const v = parse(IssueReceiptInput, input);
  return inTransaction(knex, 'issueReceipt', ctx, refusals, (trx, c) => issueOnNextForm(trx, c, batch, v));
}

/**
 * 打印失败: the printer jammed or printed askew. The form goes print_failed (it is never printed on again) and the
 * same receipt prints on the cashier's next form as a reprint of it; both forms' histories say so. No form left:
 * 409 `no_forms` and nothing changes, so the cashier draws forms and reports the failure again.
 */
export async function printFailed(knex: Knex, receiptId: number, ctx: ChangeContext): Promise<PrintFailedResult> {
  return inTransaction(knex, 'printFailed', ctx, refusals, async (trx, c) => {
    const r = await trx('cis.receipts').where({ id: receiptId }).first('id', 'batch', 'cashier', 'form_type');
    if (!r) throw notFound('receipt', receiptId);
    await lockBatch(trx, r.batch);
    const failed = await earlierReceipt(trx, receiptId);
    await moveForms(trx, rangeOf(failed.form), {
      to: 'print_failed',
      actor: c.actor,
      reason: 'print failed',
      receiptId,
      processInstanceKey: c.processInstanceKey,
    });
    const reprint = await issueOnNextForm(trx, c, r.batch, {
      cashier: r.cashier,
      reprintOf: receiptId,
      formType: r.form_type,
    });
    await writeAudit(trx, c, [
      {
        action: 'print_failed',
        entity: 'receipt',
        entityId: receiptId,
        before: { state: 'used' },
        after: { state: 'print_failed', reprint: reprint.receiptId },
      },
    ]);
    return { failed: { receiptId, form: failed.form.label, state: 'print_failed' }, reprint };
  });
}
