import type { Knex } from 'knex';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { placeInBook } from './book-order.js';
import { AccountsError, conflict } from './errors.js';
import { accountsTransaction, createCustomer, existingCustomer, installMeter, issueCertificate } from './records.js';
import { OpenAccountInput, parse } from './schemas.js';

export interface OpenedAccount {
  accountId: number;
  accountNo: string;
  customerId: number;
  bookCode: string;
  bookSeq: number;
  certificateNo: string;
  meterSerial: string | null;
}

async function nextAccountNo(trx: Knex.Transaction): Promise<string> {
  for (;;) {
    const {
      rows: [{ no }],
    } = await trx.raw(`SELECT nextval('cis.account_no_seq')::text AS no`);
    const taken = await trx('cis.accounts').where({ account_no: no }).first('id');
    if (!taken) return no;
  }
}

/** 开户: customer (new or existing), premise, account at its place in the meter book, meter, certificate. */
export async function openAccount(knex: Knex, input: unknown, ctxIn: ChangeContext): Promise<OpenedAccount> {
  const v = parse(OpenAccountInput, input);
  return accountsTransaction(knex, 'openAccount', ctxIn, async (trx, ctx) => {
    const book = await trx('cis.meter_books').where({ code: v.book.code }).forUpdate().first('id', 'code');
    if (!book)
      throw new AccountsError(422, 'invalid', `book.code: meter book ${v.book.code} does not exist`, 'book.code');
    if (v.accountNo && (await trx('cis.accounts').where({ account_no: v.accountNo }).first('id'))) {
      throw conflict('duplicate', `account ${v.accountNo} already exists`, 'accountNo');
    }
    const customerId = v.customer
      ? await createCustomer(trx, ctx, v.customer)
      : await existingCustomer(trx, v.customerId!, 'customerId');
    const p = v.premise;
    const premiseRow = {
      district: p.district,
      street: p.street,
      community: p.community,
      building: p.building,
      unit: p.unit,
      room: p.room,
      address_text: p.addressText,
    };
    const [{ id: premiseId }] = await trx('cis.premises').insert(premiseRow).returning('id');
    await writeAudit(trx, ctx, [{ action: 'created', entity: 'premise', entityId: premiseId, after: premiseRow }]);

    const bookSeq = await placeInBook(trx, book.id, v.book, ctx);
    const accountNo = v.accountNo ?? (await nextAccountNo(trx));
    const accountRow = {
      account_no: accountNo,
      customer_id: customerId,
      premise_id: premiseId,
      commodity: v.commodity,
      customer_class: v.customerClass,
      household_size: v.householdSize,
      payment_method: v.paymentMethod,
      book_id: book.id,
      book_seq: bookSeq,
    };
    const [{ id }] = await trx('cis.accounts').insert(accountRow).returning('id');
    const accountId = Number(id);
    await writeAudit(trx, ctx, [
      { action: 'opened', entity: 'account', entityId: accountId, accountId, after: accountRow },
    ]);
    if (v.meter) await installMeter(trx, ctx, accountId, v.meter);
    const certificateNo = await issueCertificate(trx, ctx, { id: accountId, customer_id: customerId }, 'opening');
    return {
      accountId,
      accountNo,
      customerId,
      bookCode: book.code,
      bookSeq,
      certificateNo,
      meterSerial: v.meter?.serial ?? null,
    };
  });
}
