import type { Knex } from 'knex';
import type { z } from 'zod';
import { Account, Certificate, Customer } from '../../db/models/index.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { inTransaction } from '../transaction.js';
import { AccountsError, accountsRefusals, conflict, notFound } from './errors.js';
import { nameKeys } from './pinyin.js';
import type { CustomerInput, MeterInput } from './schemas.js';

/**
 * What several account operations share: their transaction, and one writer per row kind (customer, certificate,
 * meter) with its audit row, so two operations cannot record the same change differently.
 */

// Unique constraints → the input field a 409 names.
const UNIQUE_FIELDS: Record<string, string> = {
  accounts_account_no_key: 'accountNo',
  accounts_book_seq_key: 'book.sequence',
  meters_serial_key: 'meter.serial',
  meter_books_code_key: 'code',
};

function translateDbError(err: unknown): never {
  const e = err as { code?: string; constraint?: string };
  if (e?.code === '23505' && e.constraint && UNIQUE_FIELDS[e.constraint]) {
    throw conflict('duplicate', `${UNIQUE_FIELDS[e.constraint]} already exists`, UNIQUE_FIELDS[e.constraint]);
  }
  throw err;
}

/** Row ids: int8 columns arrive as strings (db/index.ts). */
export type Id = string | number;

/** One idempotent transaction per operation (domain/transaction.ts); database errors become refusals. */
export async function accountsTransaction<T>(
  knex: Knex,
  operation: string,
  ctxIn: ChangeContext,
  fn: (trx: Knex.Transaction, ctx: ChangeContext) => Promise<T>,
): Promise<T> {
  try {
    return await inTransaction(knex, operation, ctxIn, accountsRefusals, fn);
  } catch (err) {
    if (err instanceof AccountsError) throw err;
    return translateDbError(err);
  }
}

export async function lockAccount(trx: Knex.Transaction, accountNo: string): Promise<Account> {
  const account = await Account.query(trx)
    .forUpdate()
    .findOne({ account_no: String(accountNo).trim().toUpperCase() });
  if (!account) throw notFound('account', accountNo);
  return account;
}

export async function createCustomer(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  c: z.output<typeof CustomerInput>,
): Promise<number> {
  const keys = nameKeys(c.name);
  const row = {
    kind: c.kind,
    id_doc_type: c.idDocType,
    id_doc_number: c.idDocNumber,
    name: c.name,
    name_pinyin: keys.pinyin,
    name_initials: keys.initials,
  };
  const [{ id }] = await trx('cis.customers').insert(row).returning('id');
  if (c.phones.length) await trx('cis.customer_phones').insert(c.phones.map((phone) => ({ customer_id: id, phone })));
  await writeAudit(trx, ctx, [
    { action: 'created', entity: 'customer', entityId: id, after: { ...row, phones: c.phones } },
  ]);
  return Number(id);
}

export async function existingCustomer(trx: Knex.Transaction, id: number, field: string): Promise<number> {
  const found = await Customer.query(trx).findById(id);
  if (!found) throw new AccountsError(422, 'invalid', `${field}: customer ${id} does not exist`, field);
  return Number(found.id);
}

export async function issueCertificate(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  account: { id: Id; customer_id: Id },
  reason: string,
): Promise<string> {
  const previous = await Certificate.query(trx).findOne({ account_id: account.id, status: 'valid' });
  if (previous) {
    await trx('cis.certificates').where({ id: previous.id }).update({ status: 'void', voided_at: trx.fn.now() });
  }
  const {
    rows: [{ number }],
  } = await trx.raw(
    `SELECT 'YS' || to_char(now(), 'YYYY') || lpad(nextval('cis.certificate_no_seq')::text, 7, '0') AS number`,
  );
  const [cert] = await trx('cis.certificates')
    .insert({
      number,
      account_id: account.id,
      customer_id: account.customer_id,
      replaces_id: previous?.id ?? null,
      reason,
    })
    .returning(['id', 'number']);
  await writeAudit(trx, ctx, [
    {
      action: previous ? 'certificate_reissued' : 'certificate_issued',
      entity: 'certificate',
      entityId: cert.id,
      accountId: account.id,
      before: previous ? { number: previous.number, status: 'valid' } : undefined,
      after: { number, reason, customerId: account.customer_id },
    },
  ]);
  return number;
}

export async function installMeter(
  trx: Knex.Transaction,
  ctx: ChangeContext,
  accountId: Id,
  m: z.output<typeof MeterInput>,
): Promise<number> {
  const row = {
    serial: m.serial,
    kind: m.kind,
    vendor: m.vendor,
    model: m.model,
    caliber_mm: m.caliberMm,
    digits: m.digits,
    install_date: m.installDate ?? trx.raw('current_date'),
    initial_reading: m.initialReading,
    status: 'in_service',
    account_id: accountId,
  };
  const [{ id }] = await trx('cis.meters').insert(row).returning('id');
  await writeAudit(trx, ctx, [
    {
      action: 'installed',
      entity: 'meter',
      entityId: id,
      accountId,
      after: { ...row, install_date: m.installDate ?? 'today' },
    },
  ]);
  return Number(id);
}

export async function balanceFen(db: Knex | Knex.Transaction, accountId: Id): Promise<number> {
  const row = await db('cis.ledger_entries').where({ account_id: accountId }).sum('amount_fen as sum').first();
  return Number(row?.sum ?? 0);
}
