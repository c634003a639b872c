import type { Knex } from 'knex';
import { Meter } from '../../db/models/index.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict } from './errors.js';
import { accountsTransaction, balanceFen, lockAccount } from './records.js';
import { CloseInput, parse } from './schemas.js';

/**
 * 拆迁/销户: meters removed, certificate voided, account closed; a closed account cannot close again. Only a settled
 * account closes (balance 0, checked under its lock): arrears would never be collected, credit never refunded.
 */
export async function closeAccount(
  knex: Knex,
  accountNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<{ accountNo: string; status: 'closed' }> {
  const v = parse(CloseInput, input);
  return accountsTransaction(knex, 'closeAccount', ctxIn, async (trx, ctx) => {
    const account = await lockAccount(trx, accountNo);
    if (account.status === 'closed')
      throw conflict('already_closed', `account ${account.account_no} is already closed`);
    const balance = await balanceFen(trx, account.id);
    if (balance !== 0)
      throw conflict(
        'unsettled',
        `account ${account.account_no} ${balance < 0 ? `owes ${-balance}` : `holds ${balance}`} fen: settle before closing`,
      );
    const meters = await Meter.query(trx).where({ account_id: account.id });
    await trx('cis.meters').where({ account_id: account.id }).update({ status: 'removed', account_id: null });
    if (meters.length) {
      await trx('cis.meter_replacements').insert(
        meters.map((m) => ({
          account_id: account.id,
          old_meter_id: m.id,
          final_reading: v.finalReading ?? null,
          reason: v.reason,
        })),
      );
    }
    await trx('cis.certificates')
      .where({ account_id: account.id, status: 'valid' })
      .update({ status: 'void', voided_at: trx.fn.now() });
    await trx('cis.accounts')
      .where({ id: account.id })
      .update({ status: 'closed', closed_at: trx.fn.now(), suspended_until: null });
    await writeAudit(trx, ctx, [
      ...meters.map((m) => ({
        action: 'removed',
        entity: 'meter',
        entityId: m.id,
        accountId: account.id,
        before: { serial: m.serial, status: m.status },
        after: { status: 'removed', finalReading: v.finalReading ?? null },
      })),
      {
        action: 'closed',
        entity: 'account',
        entityId: account.id,
        accountId: account.id,
        before: { status: account.status },
        after: { status: 'closed', reason: v.reason, finalReading: v.finalReading ?? null },
      },
    ]);
    return { accountNo: account.account_no, status: 'closed' as const };
  });
}
