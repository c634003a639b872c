import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict } from './errors.js';
import { accountsTransaction, lockAccount } from './records.js';
import { SuspendInput, parse } from './schemas.js';
import { calendarDate } from './view360.js';

/** 报停: only an active account; `until` is the agreed resumption date the process's timer waits for. */
export async function suspendAccount(
  knex: Knex,
  accountNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<{ accountNo: string; status: 'suspended'; until: string | null }> {
  const v = parse(SuspendInput, input);
  return accountsTransaction(knex, 'suspendAccount', ctxIn, async (trx, ctx) => {
    const account = await lockAccount(trx, accountNo);
    if (account.status !== 'active') throw conflict('not_active', `account ${account.account_no} is ${account.status}`);
    await trx('cis.accounts')
      .where({ id: account.id })
      .update({ status: 'suspended', suspended_until: v.until ?? null });
    await writeAudit(trx, ctx, [
      {
        action: 'suspended',
        entity: 'account',
        entityId: account.id,
        accountId: account.id,
        before: { status: 'active' },
        after: {
          status: 'suspended',
          until: v.until ?? null,
          reason: v.reason,
          finalReading: v.finalReading ?? null,
        },
      },
    ]);
    return { accountNo: account.account_no, status: 'suspended' as const, until: v.until ?? null };
  });
}

/** 恢复: only a suspended account. */
export async function resumeAccount(
  knex: Knex,
  accountNo: string,
  ctxIn: ChangeContext,
): Promise<{ accountNo: string; status: 'active' }> {
  return accountsTransaction(knex, 'resumeAccount', ctxIn, async (trx, ctx) => {
    const account = await lockAccount(trx, accountNo);
    if (account.status !== 'suspended')
      throw conflict('not_suspended', `account ${account.account_no} is ${account.status}`);
    await trx('cis.accounts').where({ id: account.id }).update({ status: 'active', suspended_until: null });
    await writeAudit(trx, ctx, [
      {
        action: 'resumed',
        entity: 'account',
        entityId: account.id,
        accountId: account.id,
        before: { status: 'suspended', until: calendarDate(account.suspended_until) },
        after: { status: 'active' },
      },
    ]);
    return { accountNo: account.account_no, status: 'active' as const };
  });
}
