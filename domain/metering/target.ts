import type { Knex } from 'knex';
import { MeteringError } from './errors.js';
import type { MeterRow } from './facts.js';

export interface AccountRow {
  id: string;
  account_no: string;
  status: 'active' | 'suspended' | 'closed';
  book_id: string;
}

export interface Target {
  account: AccountRow;
  meter: MeterRow | null;
}

const refuse = (field: string, code: string, message: string) =>
  new MeteringError(422, code, `${field}: ${message}`, field);

const METER_COLUMNS = ['id', 'serial', 'digits', 'initial_reading', 'caliber_mm', 'account_id', 'status'];

/**
 * The account and meter a reading is for, by meter serial (handheld, remote) or account number (hand entry),
 * with the account row locked: readings of one account are judged one at a time, in order. A closed
 * account takes no readings (422 `account_closed`).
 */
export async function resolveTarget(
  trx: Knex.Transaction,
  input: { accountNo?: string; meterSerial?: string },
): Promise<Target> {
  let meter: (MeterRow & { account_id: string | null; status: string }) | null = null;
  let accountId: string | undefined;
  if (input.meterSerial) {
    meter = (await trx('cis.meters').where({ serial: input.meterSerial }).first(METER_COLUMNS)) ?? null;
    if (!meter) throw refuse('meterSerial', 'unknown_meter', `meter ${input.meterSerial} does not exist`);
    if (meter.status !== 'in_service' || !meter.account_id)
      throw refuse('meterSerial', 'meter_not_in_service', `meter ${input.meterSerial} is not in service on an account`);
    accountId = meter.account_id;
  }
  const q = trx('cis.accounts').forUpdate();
  const account: AccountRow | undefined = await (
    accountId ? q.where({ id: accountId }) : q.where({ account_no: input.accountNo })
  ).first('id', 'account_no', 'status', 'book_id');
  if (!account) throw refuse('accountNo', 'unknown_account', `account ${input.accountNo} does not exist`);
  if (input.accountNo && input.meterSerial && account.account_no !== input.accountNo)
    throw refuse(
      'meterSerial',
      'meter_mismatch',
      `meter ${input.meterSerial} belongs to account ${account.account_no}`,
    );
  if (account.status === 'closed')
    throw refuse('accountNo', 'account_closed', `account ${account.account_no} is closed and takes no readings`);
  if (!meter) {
    meter =
      (await trx('cis.meters')
        .where({ account_id: account.id, status: 'in_service' })
        .orderBy('id', 'desc')
        .first(METER_COLUMNS)) ?? null;
  }
  return { account, meter };
}
