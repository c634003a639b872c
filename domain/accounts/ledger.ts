import type { Knex } from 'knex';
import { Account } from '../../db/models/index.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { settleAccounts } from '../ledger/service.js';
import { conflict, notFound } from './errors.js';
import { accountsTransaction, balanceFen, lockAccount } from './records.js';
import { ChargeInput, parse } from './schemas.js';

/**
 * A charge (a fee) on the append-only ledger, stored negative. Refused on a closed
 * account: nothing is charged to an account that has left the books.
 */
export async function postCharge(
  knex: Knex,
  accountNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<{ accountNo: string; entryId: number; amountFen: number; balanceFen: number }> {
  const v = parse(ChargeInput, input);
  return accountsTransaction(knex, 'postCharge', ctxIn, async (trx, ctx) => {
    const account = await lockAccount(trx, accountNo);
    if (account.status === 'closed') throw conflict('account_closed', `account ${account.account_no} is closed`);
    const row = { account_id: account.id, kind: v.kind, amount_fen: -v.amountFen, ref: v.ref };
    const [{ id }] = await trx('cis.ledger_entries').insert(row).returning('id');
    await settleAccounts(trx, [account.id]); // prepaid credit pays the charge at once
    await writeAudit(trx, ctx, [
      {
        action: 'charged',
        entity: 'ledger_entry',
        entityId: id,
        accountId: account.id,
        after: { kind: v.kind, amountFen: -v.amountFen, ref: v.ref, note: v.note },
      },
    ]);
    return {
      accountNo: account.account_no,
      entryId: Number(id),
      amountFen: -v.amountFen,
      balanceFen: await balanceFen(trx, account.id),
    };
  });
}

/** Current balance in fen from the ledger (negative: arrears). */
export async function balance(knex: Knex, accountNo: string): Promise<number> {
  const account = await Account.query(knex).findOne({ account_no: String(accountNo).trim().toUpperCase() });
  if (!account) throw notFound('account', accountNo);
  return balanceFen(knex, account.id);
}

/**
 * The balance a process decides on (account-balance-check in transfer and demolition). With arrears the account
 * is registered as awaiting settlement (cis.settlement_waits): the payment that clears them takes the wait, and the
 * server publishes `arrears-settled` for it. Locked as a payment locks the account, so a payment either came first
 * (the balance shows it) or finds the wait.
 */
export async function balanceAwaitingSettlement(knex: Knex, accountNo: string): Promise<number> {
  return knex.transaction(async (trx) => {
    const account = await lockAccount(trx, accountNo);
    const fen = await balanceFen(trx, account.id);
    if (fen < 0) await trx('cis.settlement_waits').insert({ account_id: account.id }).onConflict('account_id').ignore();
    return fen;
  });
}
