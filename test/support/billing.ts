import type { Knex } from 'knex';
import { AccountsService } from '../../domain/accounts/service.js';
import { residentIdCheckChar } from '../../domain/accounts/id-number.js';
import { postBills } from '../../domain/billing/posting.js';

let serial = 0;

/** Opens an account through the accounts domain (set-up, not under test); returns its id and number. */
export async function billingAccount(
  knex: Knex,
  opts: { customerClass?: string; householdSize?: number; phone?: string } = {},
): Promise<{ id: number; accountNo: string }> {
  const accounts = new AccountsService(knex);
  if (!(await knex('cis.meter_books').where({ code: 'BILL01' }).first('id')))
    await accounts.createBook({ code: 'BILL01', name: '计费测试抄表本' }, { actor: 'test' });
  const n = ++serial;
  const first17 = `110101198501${String(10 + (n % 18)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  const opened = await accounts.openAccount(
    {
      customer: {
        kind: opts.customerClass === 'residential' || !opts.customerClass ? 'person' : 'organisation',
        idDocType: 'resident_id',
        idDocNumber: first17 + residentIdCheckChar(first17),
        name: `计费${n}`,
        phones: [opts.phone ?? '13900139000'],
      },
      premise: { district: '城东区', street: '解放路', building: `${n}栋` },
      customerClass: opts.customerClass ?? 'residential',
      householdSize: opts.householdSize ?? 3,
      paymentMethod: 'counter',
      book: { code: 'BILL01' },
      meter: { serial: `BILL-${process.pid}-${n}` },
    },
    { actor: 'test' },
  );
  const row = await knex('cis.accounts').where({ account_no: opened.accountNo }).first('id');
  return { id: Number(row.id), accountNo: opened.accountNo };
}

/** An accepted reading closing `period` (YYYY-MM) with this consumption. */
export async function addReading(
  knex: Knex,
  accountId: number,
  period: string,
  consumption: string,
  status = 'accepted',
): Promise<number> {
  const [{ id }] = await knex('cis.readings')
    .insert({
      account_id: accountId,
      period: `${period}-01`,
      read_at: `${period}-25T10:00:00+08:00`,
      reading: consumption,
      consumption,
      source: 'manual',
      status,
    })
    .returning('id');
  return Number(id);
}

/**
 * A bill of `fen` for `period` (YYYY-MM) on the account under the tariff, posted as of `asOf` (due then plus the
 * tariff's payment days; settled from prepaid credit as posting does). Returns the bill's id.
 */
export async function postedBill(
  knex: Knex,
  accountId: number,
  tariffId: number,
  period: string,
  fen: number,
  asOf = `${period}-28`,
): Promise<number> {
  return knex.transaction(async (trx) => {
    const [{ id }] = await trx('cis.bills')
      .insert({
        account_id: accountId,
        period: `${period}-01`,
        tariff_id: tariffId,
        household_size: 3,
        volume: '1.000',
        amount_fen: fen,
        status: 'approved',
      })
      .returning('id');
    await postBills(trx, { billId: Number(id) }, asOf);
    return Number(id);
  });
}
