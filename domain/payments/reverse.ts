import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import {
  accountPosition,
  allocatePair,
  insertEntry,
  lockAccountRows,
  releaseAllocations,
  settleAccounts,
} from '../ledger/service.js';
import { conflict, notFound } from './errors.js';
import { parse, ReasonInput } from './schemas.js';
import { businessDay } from './settings.js';

export interface ReversalResult {
  paymentId: number;
  accountNo: string;
  amountFen: number;
  balanceFen: number;
  arrearsFen: number;
  creditFen: number;
  reason: string;
}

/**
 * 冲正: a `payment_reversal` entry of the payment's amount; the payment's allocations are released and the
 * payment is settled against its reversal, so the debts it had paid are open again (both entries stay). At the
 * counter only the same day, by the cashier who took it, before the day's close; any other reversal goes
 * through the `payment-reversal` approval and arrives here with `approved` (the approving manager).
 */
export async function reversePayment(
  knex: Knex,
  paymentId: number,
  input: unknown,
  ctx: ChangeContext,
  approved?: { by: string },
): Promise<ReversalResult> {
  const v = parse(ReasonInput, input);
  return knex.transaction(async (trx) => {
    const payment = await trx('cis.payments as p')
      .join('cis.accounts as a', 'a.id', 'p.account_id')
      .where('p.id', paymentId)
      .first('p.*', 'a.account_no', trx.raw(`to_char(p.business_day, 'YYYY-MM-DD') AS day`));
    if (!payment) throw notFound('payment', paymentId);
    await lockAccountRows(trx, [payment.account_id]);
    const already = await trx('cis.payment_reversals').where({ payment_id: paymentId }).first('reversed_at');
    if (already) throw conflict('already_reversed', `payment ${paymentId} was reversed before`);
    let sessionId: number | null = null;
    if (!approved) {
      const today = await businessDay(trx);
      const day: string = payment.day;
      if (payment.channel !== 'counter' || payment.cashier !== ctx.actor || day !== today)
        throw conflict(
          'reversal_needs_approval',
          `payment ${paymentId} was taken by ${payment.cashier} on ${day}: only that cashier reverses it that day; otherwise a manager approves (payment-reversal)`,
        );
      // the day's lock, shared as payments hold it: a close waits for this reversal, or this sees the close
      await trx.raw('SELECT pg_advisory_xact_lock_shared(cis.cashier_day_lock_key(?, ?))', [payment.cashier, day]);
      const session = await trx('cis.cashier_sessions').where({ id: payment.session_id }).first();
      if (session?.closed_at)
        throw conflict('session_closed', `${payment.cashier} closed the day ${day} (日结): reversal needs approval`);
      sessionId = Number(payment.session_id);
    }
    const entry = await insertEntry(trx, {
      account_id: payment.account_id,
      kind: 'payment_reversal',
      amount_fen: -Number(payment.amount_fen),
      ref: `payment-reversal:${paymentId}`,
    });
    await releaseAllocations(trx, payment.entry_id);
    await allocatePair(trx, payment.account_id, payment.entry_id, entry.id, Number(payment.amount_fen));
    await settleAccounts(trx, [payment.account_id]);
    await trx('cis.payment_reversals').insert({
      payment_id: paymentId,
      entry_id: entry.id,
      reason: v.reason,
      reversed_by: ctx.actor,
      approved_by: approved?.by ?? null,
      process_instance_key: ctx.processInstanceKey ?? null,
      session_id: sessionId,
    });
    const after = await accountPosition(trx, payment.account_id);
    await writeAudit(trx, ctx, [
      {
        action: 'reversed',
        entity: 'payment',
        entityId: paymentId,
        accountId: payment.account_id,
        after: { reason: v.reason, amountFen: -Number(payment.amount_fen), approvedBy: approved?.by ?? null },
      },
    ]);
    return {
      paymentId,
      accountNo: payment.account_no,
      amountFen: Number(payment.amount_fen),
      balanceFen: after.balanceFen,
      arrearsFen: after.arrearsFen,
      creditFen: after.creditFen,
      reason: v.reason,
    };
  });
}
