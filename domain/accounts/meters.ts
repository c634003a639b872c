import type { Knex } from 'knex';
import { Meter } from '../../db/models/index.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { conflict } from './errors.js';
import { accountsTransaction, installMeter, lockAccount } from './records.js';
import { ReplaceMeterInput, parse } from './schemas.js';

/** 换表: the old meter's final reading and the new meter's initial reading, one replacement row. */
export async function replaceMeter(
  knex: Knex,
  accountNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<{ accountNo: string; oldSerial: string | null; newSerial: string }> {
  const v = parse(ReplaceMeterInput, input);
  return accountsTransaction(knex, 'replaceMeter', ctxIn, async (trx, ctx) => {
    const account = await lockAccount(trx, accountNo);
    if (account.status === 'closed') throw conflict('account_closed', `account ${account.account_no} is closed`);
    const old = await Meter.query(trx).findOne({ account_id: account.id, status: 'in_service' });
    if (old) {
      await trx('cis.meters').where({ id: old.id }).update({ status: 'removed', account_id: null });
      await writeAudit(trx, ctx, [
        {
          action: 'removed',
          entity: 'meter',
          entityId: old.id,
          accountId: account.id,
          before: { serial: old.serial, status: old.status },
          after: { status: 'removed', finalReading: v.finalReading },
        },
      ]);
    }
    const newId = await installMeter(trx, ctx, account.id, v.meter);
    await trx('cis.meter_replacements').insert({
      account_id: account.id,
      old_meter_id: old?.id ?? null,
      new_meter_id: newId,
      final_reading: old ? v.finalReading : null,
      initial_reading: v.meter.initialReading,
      reason: v.reason,
    });
    return { accountNo: account.account_no, oldSerial: old?.serial ?? null, newSerial: v.meter.serial };
  });
}
