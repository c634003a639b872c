import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict } from './errors.js';
import {
  accountsTransaction,
  balanceFen,
  createCustomer,
  existingCustomer,
  issueCertificate,
  lockAccount,
} from './records.js';
import { TransferInput, parse } from './schemas.js';

/** 过户: refused while the account is in arrears (the process settles first); new owner, new certificate. */
export async function transferOwnership(
  knex: Knex,
  accountNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<{ accountNo: string; customerId: number; certificateNo: string }> {
  const v = parse(TransferInput, input);
  return accountsTransaction(knex, 'transferOwnership', ctxIn, async (trx, ctx) => {
    const account = await lockAccount(trx, accountNo);
    if (account.status === 'closed') throw conflict('account_closed', `account ${account.account_no} is closed`);
    const balance = await balanceFen(trx, account.id);
    if (balance < 0)
      throw conflict('arrears', `account ${account.account_no} owes ${-balance} fen; settle before transfer`);
    const customerId = v.customer
      ? await createCustomer(trx, ctx, v.customer)
      : await existingCustomer(trx, v.customerId!, 'customerId');
    if (customerId === Number(account.customer_id))
      throw conflict('same_owner', 'the account already belongs to this customer', 'customerId');
    await trx('cis.accounts').where({ id: account.id }).update({ customer_id: customerId });
    await writeAudit(trx, ctx, [
      {
        action: 'transferred',
        entity: 'account',
        entityId: account.id,
        accountId: account.id,
        before: { customer_id: Number(account.customer_id) },
        after: { customer_id: customerId, reason: v.reason },
      },
    ]);
    const certificateNo = await issueCertificate(trx, ctx, { id: account.id, customer_id: customerId }, 'transfer');
    return { accountNo: account.account_no, customerId, certificateNo };
  });
}
