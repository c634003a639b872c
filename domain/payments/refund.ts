import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { accountPosition, insertEntry, lockAccountRows, settleAccounts } from '../ledger/service.js';
import { conflict, notFound } from './errors.js';
import { DecisionInput, parse, RefundInput } from './schemas.js';

const money = (fen: number) => (fen / 100).toFixed(2);

async function lockedAccount(trx: Knex.Transaction, accountNo: string) {
  const account = await trx('cis.accounts').where({ account_no: accountNo.trim().toUpperCase() }).first('id', 'status');
  if (!account) throw notFound('account', accountNo);
  await lockAccountRows(trx, [account.id]);
  return account;
}

/** 退费, step one: a request for (part of) the prepaid credit, which the `credit-refund` process approves. */
export async function requestRefund(
  knex: Knex,
  accountNo: string,
  input: unknown,
  ctx: ChangeContext,
): Promise<{ refundId: number; amountFen: number; creditFen: number }> {
  const v = parse(RefundInput, input);
  return knex.transaction(async (trx) => {
    const account = await lockedAccount(trx, accountNo);
    const { creditFen } = await accountPosition(trx, account.id);
    if (v.amount > creditFen)
      throw conflict('insufficient_credit', `the account holds ${money(creditFen)} of credit`, 'amount');
    const [{ id }] = await trx('cis.credit_refunds')
      .insert({
        account_id: account.id,
        amount_fen: v.amount,
        reason: v.reason,
        requested_by: ctx.actor,
        process_instance_key: ctx.processInstanceKey ?? null,
      })
      .returning('id');
    await writeAudit(trx, ctx, [
      { action: 'refund_requested', entity: 'credit_refund', entityId: id, accountId: account.id, after: v },
    ]);
    return { refundId: Number(id), amountFen: v.amount, creditFen };
  });
}

/**
 * 退费, step two: the approver's decision. Approved, a `refund` entry pays the money out of the credit (checked
 * again: the credit may have settled a bill meanwhile); rejected, nothing moves. A repeated decision answers
 * with the refund as it is.
 */
export async function decideRefund(
  knex: Knex,
  refundId: number,
  input: unknown,
  ctx: ChangeContext,
): Promise<{ refundId: number; status: string; amountFen: number; creditFen: number }> {
  const v = parse(DecisionInput, input);
  return knex.transaction(async (trx) => {
    const refund = await trx('cis.credit_refunds').where({ id: refundId }).forUpdate().first();
    if (!refund) throw notFound('credit refund', refundId);
    await lockAccountRows(trx, [refund.account_id]);
    if (refund.status === 'requested') {
      let entryId: number | null = null;
      if (v.approved) {
        const { creditFen } = await accountPosition(trx, refund.account_id);
        if (Number(refund.amount_fen) > creditFen)
          throw conflict('insufficient_credit', `the account holds ${money(creditFen)} of credit now`, 'amount');
        const entry = await insertEntry(trx, {
          account_id: refund.account_id,
          kind: 'refund',
          amount_fen: -Number(refund.amount_fen),
          ref: `refund:${refundId}`,
        });
        entryId = entry.id;
        await settleAccounts(trx, [refund.account_id]);
      }
      const status = v.approved ? 'paid' : 'rejected';
      await trx('cis.credit_refunds')
        .where({ id: refundId })
        .update({ status, entry_id: entryId, decided_by: ctx.actor, decided_at: trx.fn.now() });
      await writeAudit(trx, ctx, [
        {
          action: v.approved ? 'refund_paid' : 'refund_rejected',
          entity: 'credit_refund',
          entityId: refundId,
          accountId: refund.account_id,
          before: { status: 'requested' },
          after: { status, note: v.note },
        },
      ]);
    }
    const now = await trx('cis.credit_refunds').where({ id: refundId }).first('status');
    const { creditFen } = await accountPosition(trx, refund.account_id);
    return { refundId, status: now.status, amountFen: Number(refund.amount_fen), creditFen };
  });
}
