import type { Knex } from 'knex';
import type { BlockResult, RangeResult } from '../../contracts/receipts.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { inTransaction } from '../transaction.js';
import { conflict, notFound, refusals } from './errors.js';
import { IssueRangeInput, LostRangeInput, parse, ReceiveBlockInput, ReturnRangeInput } from './schemas.js';
import { formLabel, moveForms, pad, type FormMove } from './states.js';

export type { BlockResult, RangeResult };

/** Receiving and drawing forms of one type and series never interleave (the overlap check stays true). */
const lockSeries = (trx: Knex.Transaction, formType: string, series: string) =>
  trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 5))', [`receipt-stock:${formType}/${series}`]);

async function formType(trx: Knex.Transaction, code: string) {
  const t = await trx('cis.receipt_form_types').where({ code }).first('code', 'kind');
  if (!t) throw notFound('form type', code);
  return t as { code: string; kind: string };
}

/**
 * 入库: a block of numbered forms arrives from the printer. One block row, one form per number (state unused)
 * and its first event, set-based. A number already in stock for the type and series refuses the whole block
 * (409 `range_overlaps` naming the numbers).
 */
export async function receiveBlock(knex: Knex, input: unknown, ctx: ChangeContext): Promise<BlockResult> {
  const v = parse(ReceiveBlockInput, input);
  return inTransaction(knex, 'receiveBlock', ctx, refusals, async (trx, c) => {
    await formType(trx, v.formType);
    await lockSeries(trx, v.formType, v.series);
    const from = Number(v.from);
    const to = Number(v.to);
    const digits = v.to.length;
    const overlapping: Array<{ form_no: string; digits: number }> = await trx('cis.receipt_forms as f')
      .join('cis.receipt_blocks as b', 'b.id', 'f.block_id')
      .where({ 'f.form_type': v.formType, 'f.series': v.series })
      .whereBetween('f.form_no', [from, to])
      .orderBy('f.form_no')
      .limit(6)
      .select('f.form_no', 'b.digits');
    if (overlapping.length > 0) {
      const names = overlapping.slice(0, 5).map((o) => pad(o.form_no, o.digits));
      throw conflict(
        'range_overlaps',
        `${formLabel(v.formType, v.series, v.from, digits)}–${v.to} overlaps the stock: ` +
          `${names.join(', ')}${overlapping.length > 5 ? ' …' : ''} already received`,
        'from',
      );
    }
    const [block] = await trx('cis.receipt_blocks')
      .insert({
        form_type: v.formType,
        series: v.series,
        first_no: from,
        last_no: to,
        digits,
        received_by: c.actor,
        note: v.note,
      })
      .returning('id');
    const blockId = Number(block.id);
    await trx.raw(
      `INSERT INTO cis.receipt_forms (form_type, series, form_no, block_id)
       SELECT :formType, :series, n, :blockId FROM generate_series(:from::bigint, :to::bigint) AS n`,
      { formType: v.formType, series: v.series, blockId, from, to },
    );
    await trx.raw(
      `INSERT INTO cis.receipt_form_events (form_type, series, form_no, from_state, to_state, actor, reason)
       SELECT :formType, :series, n, NULL, 'unused', :actor, :reason FROM generate_series(:from::bigint, :to::bigint) AS n`,
      { formType: v.formType, series: v.series, from, to, actor: c.actor, reason: `received in block ${blockId}` },
    );
    const result: BlockResult = {
      blockId,
      formType: v.formType,
      series: v.series,
      from: pad(from, digits),
      to: v.to,
      digits,
      count: to - from + 1,
      state: 'unused',
      cashier: null,
    };
    await writeAudit(trx, c, [{ action: 'received', entity: 'receipt_block', entityId: blockId, after: result }]);
    return result;
  });
}

/** One range operation: parse, lock the series, move every form of the range, audit. */
async function rangeOperation(
  knex: Knex,
  operation: string,
  ctx: ChangeContext,
  v: { formType: string; series: string; from: string; to: string },
  move: (c: ChangeContext) => FormMove,
): Promise<RangeResult> {
  return inTransaction(knex, operation, ctx, refusals, async (trx, c) => {
    await formType(trx, v.formType);
    await lockSeries(trx, v.formType, v.series);
    const range = { formType: v.formType, series: v.series, from: Number(v.from), to: Number(v.to) };
    const m = move(c);
    const { count, digits } = await moveForms(trx, range, m);
    const result: RangeResult = {
      formType: v.formType,
      series: v.series,
      from: pad(range.from, digits),
      to: pad(range.to, digits),
      count,
      state: m.to,
      cashier: m.cashier === undefined ? (m.heldBy ?? null) : m.cashier,
    };
    await writeAudit(trx, c, [
      {
        action: operation,
        entity: 'receipt_forms',
        entityId: `${v.formType}/${v.series}/${result.from}-${result.to}`,
        after: { ...result, reason: m.reason ?? undefined },
      },
    ]);
    return result;
  });
}

/** 领用: a cashier draws unused forms; a form of the range already held (by anyone) or spent refuses the range. */
export function issueRange(knex: Knex, input: unknown, ctx: ChangeContext): Promise<RangeResult> {
  const v = parse(IssueRangeInput, input);
  return rangeOperation(knex, 'issueRange', ctx, v, (c) => ({
    to: 'issued',
    cashier: v.cashier,
    actor: c.actor,
    reason: `issued to ${v.cashier}`,
    processInstanceKey: c.processInstanceKey,
  }));
}

/** 退回: the cashier's blank forms go back to the stock. */
export function returnRange(knex: Knex, input: unknown, ctx: ChangeContext): Promise<RangeResult> {
  const v = parse(ReturnRangeInput, input);
  return rangeOperation(knex, 'returnRange', ctx, v, (c) => ({
    to: 'unused',
    heldBy: v.cashier,
    cashier: null,
    actor: c.actor,
    reason: `returned by ${v.cashier}`,
    processInstanceKey: c.processInstanceKey,
  }));
}

/** 遗失: blank forms lost from the safe or from a cashier's drawer; the numbers are never used. */
export function markLost(knex: Knex, input: unknown, ctx: ChangeContext): Promise<RangeResult> {
  const v = parse(LostRangeInput, input);
  return rangeOperation(knex, 'markLost', ctx, v, (c) => ({
    to: 'lost',
    actor: c.actor,
    reason: v.reason,
    processInstanceKey: c.processInstanceKey,
  }));
}
