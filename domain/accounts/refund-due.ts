import type { Knex } from 'knex';
import { accountPosition } from '../ledger/service.js';
import { PaymentsError } from '../payments/errors.js';
import { requestRefund } from '../payments/refund.js';
import { AccountsError, conflict } from './errors.js';
import { accountsTransaction, lockAccount } from './records.js';
import type { ChangeContext } from '../audit/audit.js';

export interface RefundDue {
  refundId: number;
  amountFen: number;
  creditFen: number;
  reason: string;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * 销户退费: the account's whole prepaid credit, to the last fen, requested as a refund (payments' `credit_refunds`),
 * for the `credit-refund` approval the demolition calls. The amount is the credit at the moment of the request,
 * under the account's lock; the approval pays it out only if the credit still covers it, and the demolition
 * checks the balance again afterwards, so the account closes at exactly 0. One open request per process instance
 * (its reason names the instance): the step run again answers with it. A request carries the instance's key only
 * the first time (payments keeps that key unique); one asked again after a rejection is found by its reason.
 */
export async function requestRefundDue(knex: Knex, accountNo: string, ctxIn: ChangeContext): Promise<RefundDue> {
  return accountsTransaction(knex, 'requestRefundDue', ctxIn, async (trx, ctx) => {
    const account = await lockAccount(trx, accountNo);
    if (account.status === 'closed') throw conflict('account_closed', `account ${account.account_no} is closed`);
    const { creditFen } = await accountPosition(trx, account.id);
    const pi = ctx.processInstanceKey;
    const reason = pi
      ? `销户退还预存 credit refunded on closure (account-demolition ${pi})`
      : '销户退还预存 credit refunded on closure';
    if (pi) {
      const open = await trx('cis.credit_refunds')
        .where({ account_id: account.id, status: 'requested' })
        .where((q) => q.where({ process_instance_key: pi }).orWhere({ reason }))
        .first('id', 'amount_fen');
      if (open) return { refundId: Number(open.id), amountFen: Number(open.amount_fen), creditFen, reason };
    }
    if (creditFen <= 0) throw conflict('no_credit', `account ${account.account_no} holds no credit to refund`);
    const asked = pi ? await trx('cis.credit_refunds').where({ process_instance_key: pi }).first('id') : undefined;
    try {
      // payments' own transaction nests as a savepoint of this one
      const refund = await requestRefund(
        trx,
        account.account_no,
        { amount: yuan(creditFen), reason },
        asked ? { ...ctx, processInstanceKey: undefined } : ctx,
      );
      return { ...refund, reason };
    } catch (err) {
      if (err instanceof PaymentsError) throw new AccountsError(err.status, err.code, err.message, err.field);
      throw err;
    }
  });
}
