import type { Knex } from 'knex';
import { Account, Certificate, Customer, Meter } from '../../db/models/index.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { placeInBook } from './book-order.js';
import { inTransaction } from '../transaction.js';
import { AccountsError, accountsRefusals, conflict, notFound } from './errors.js';
import { nameKeys } from './pinyin.js';
import {
  BookInput,
  ChargeInput,
  CloseInput,
  CustomerInput,
  MeterInput,
  OpenAccountInput,
  ReissueInput,
  ReplaceMeterInput,
  SuspendInput,
  TransferInput,
  parse,
} from './schemas.js';
import { searchAccounts, type SearchHit } from './search.js';
import { calendarDate, loadAccount360, type Account360 } from './view360.js';
import type { z } from 'zod';

export type { ChangeContext } from '../audit/audit.js';
export type { SearchHit } from './search.js';
export type { Account360 } from './view360.js';
export { AccountsError } from './errors.js';

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
type Id = string | number;

export interface OpenedAccount {
  accountId: number;
  accountNo: string;
  customerId: number;
  bookCode: string;
  bookSeq: number;
  certificateNo: string;
  meterSerial: string | null;
}

/**
 * Customer accounts (M1). Every method is one transaction: it validates, changes rows, and appends
 * the audit rows for that change before committing, so a refusal or a failure leaves nothing behind.
 * Accounts are addressed by account number, the business key that process variables carry.
 */
export class AccountsService {
  constructor(private readonly knex: Knex) {}

  /** One idempotent transaction per operation (domain/transaction.ts); database errors become refusals. */
  private async tx<T>(
    operation: string,
    ctxIn: ChangeContext,
    fn: (trx: Knex.Transaction, ctx: ChangeContext) => Promise<T>,
  ): Promise<T> {
    try {
      return await inTransaction(this.knex, operation, ctxIn, accountsRefusals, fn);
    } catch (err) {
      if (err instanceof AccountsError) throw err;
      return translateDbError(err);
    }
  }

  private async lockAccount(trx: Knex.Transaction, accountNo: string): Promise<Account> {
    const account = await Account.query(trx)
      .forUpdate()
      .findOne({ account_no: String(accountNo).trim().toUpperCase() });
    if (!account) throw notFound('account', accountNo);
    return account;
  }

  private async createCustomer(
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

  private async existingCustomer(trx: Knex.Transaction, id: number, field: string): Promise<number> {
    const found = await Customer.query(trx).findById(id);
    if (!found) throw new AccountsError(422, 'invalid', `${field}: customer ${id} does not exist`, field);
    return Number(found.id);
  }

  private async issueCertificate(
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

  private async installMeter(
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

  private async nextAccountNo(trx: Knex.Transaction): Promise<string> {
    for (;;) {
      const {
        rows: [{ no }],
      } = await trx.raw(`SELECT nextval('cis.account_no_seq')::text AS no`);
      const taken = await trx('cis.accounts').where({ account_no: no }).first('id');
      if (!taken) return no;
    }
  }

  /** A meter book (抄表本): a reading route that accounts are kept in, in order. */
  async createBook(input: unknown, ctxIn: ChangeContext): Promise<{ id: number; code: string }> {
    const v = parse(BookInput, input);
    return this.tx('createBook', ctxIn, async (trx, ctx) => {
      if (await trx('cis.meter_books').where({ code: v.code }).first('id'))
        throw conflict('duplicate', `meter book ${v.code} already exists`, 'code');
      const row = { code: v.code, name: v.name, reader: v.reader ?? null, cycle: v.cycle };
      const [{ id }] = await trx('cis.meter_books').insert(row).returning('id');
      await writeAudit(trx, ctx, [{ action: 'created', entity: 'meter_book', entityId: id, after: row }]);
      return { id: Number(id), code: v.code };
    });
  }

  /** 开户: customer (new or existing), premise, account at its place in the meter book, meter, certificate. */
  async openAccount(input: unknown, ctxIn: ChangeContext): Promise<OpenedAccount> {
    const v = parse(OpenAccountInput, input);
    return this.tx('openAccount', ctxIn, async (trx, ctx) => {
      const book = await trx('cis.meter_books').where({ code: v.book.code }).forUpdate().first('id', 'code');
      if (!book)
        throw new AccountsError(422, 'invalid', `book.code: meter book ${v.book.code} does not exist`, 'book.code');
      if (v.accountNo && (await trx('cis.accounts').where({ account_no: v.accountNo }).first('id'))) {
        throw conflict('duplicate', `account ${v.accountNo} already exists`, 'accountNo');
      }
      const customerId = v.customer
        ? await this.createCustomer(trx, ctx, v.customer)
        : await this.existingCustomer(trx, v.customerId!, 'customerId');
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
      const accountNo = v.accountNo ?? (await this.nextAccountNo(trx));
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
      if (v.meter) await this.installMeter(trx, ctx, accountId, v.meter);
      const certificateNo = await this.issueCertificate(
        trx,
        ctx,
        { id: accountId, customer_id: customerId },
        'opening',
      );
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

  /** 过户: refused while the account is in arrears (the process settles first); new owner, new certificate. */
  async transferOwnership(
    accountNo: string,
    input: unknown,
    ctxIn: ChangeContext,
  ): Promise<{ accountNo: string; customerId: number; certificateNo: string }> {
    const v = parse(TransferInput, input);
    return this.tx('transferOwnership', ctxIn, async (trx, ctx) => {
      const account = await this.lockAccount(trx, accountNo);
      if (account.status === 'closed') throw conflict('account_closed', `account ${account.account_no} is closed`);
      const balance = await this.balanceFen(trx, account.id);
      if (balance < 0)
        throw conflict('arrears', `account ${account.account_no} owes ${-balance} fen; settle before transfer`);
      const customerId = v.customer
        ? await this.createCustomer(trx, ctx, v.customer)
        : await this.existingCustomer(trx, v.customerId!, 'customerId');
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
      const certificateNo = await this.issueCertificate(
        trx,
        ctx,
        { id: account.id, customer_id: customerId },
        'transfer',
      );
      return { accountNo: account.account_no, customerId, certificateNo };
    });
  }

  /** 补证: voids the valid certificate and issues a new number pointing back to it. */
  async reissueCertificate(
    accountNo: string,
    input: unknown,
    ctxIn: ChangeContext,
  ): Promise<{ certificateNo: string; replaces: string | null }> {
    const v = parse(ReissueInput, input);
    return this.tx('reissueCertificate', ctxIn, async (trx, ctx) => {
      const account = await this.lockAccount(trx, accountNo);
      if (account.status === 'closed') throw conflict('account_closed', `account ${account.account_no} is closed`);
      const previous = await Certificate.query(trx).findOne({ account_id: account.id, status: 'valid' });
      const certificateNo = await this.issueCertificate(trx, ctx, account, v.reason);
      return { certificateNo, replaces: previous?.number ?? null };
    });
  }

  /** 拆迁/销户: meters removed, certificate voided, account closed; a closed account cannot close again. */
  async closeAccount(
    accountNo: string,
    input: unknown,
    ctxIn: ChangeContext,
  ): Promise<{ accountNo: string; status: 'closed' }> {
    const v = parse(CloseInput, input);
    return this.tx('closeAccount', ctxIn, async (trx, ctx) => {
      const account = await this.lockAccount(trx, accountNo);
      if (account.status === 'closed')
        throw conflict('already_closed', `account ${account.account_no} is already closed`);
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

  /** 报停: only an active account; `until` is the agreed resumption date the process's timer waits for. */
  async suspendAccount(
    accountNo: string,
    input: unknown,
    ctxIn: ChangeContext,
  ): Promise<{ accountNo: string; status: 'suspended'; until: string | null }> {
    const v = parse(SuspendInput, input);
    return this.tx('suspendAccount', ctxIn, async (trx, ctx) => {
      const account = await this.lockAccount(trx, accountNo);
      if (account.status !== 'active')
        throw conflict('not_active', `account ${account.account_no} is ${account.status}`);
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
  async resumeAccount(accountNo: string, ctxIn: ChangeContext): Promise<{ accountNo: string; status: 'active' }> {
    return this.tx('resumeAccount', ctxIn, async (trx, ctx) => {
      const account = await this.lockAccount(trx, accountNo);
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

  /** 换表: the old meter's final reading and the new meter's initial reading, one replacement row. */
  async replaceMeter(
    accountNo: string,
    input: unknown,
    ctxIn: ChangeContext,
  ): Promise<{ accountNo: string; oldSerial: string | null; newSerial: string }> {
    const v = parse(ReplaceMeterInput, input);
    return this.tx('replaceMeter', ctxIn, async (trx, ctx) => {
      const account = await this.lockAccount(trx, accountNo);
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
      const newId = await this.installMeter(trx, ctx, account.id, v.meter);
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

  /**
   * A charge (fee or final-bill placeholder) on the append-only ledger, stored negative. Refused on a closed
   * account: nothing is charged to an account that has left the books.
   */
  async postCharge(
    accountNo: string,
    input: unknown,
    ctxIn: ChangeContext,
  ): Promise<{ accountNo: string; entryId: number; amountFen: number; balanceFen: number }> {
    const v = parse(ChargeInput, input);
    return this.tx('postCharge', ctxIn, async (trx, ctx) => {
      const account = await this.lockAccount(trx, accountNo);
      if (account.status === 'closed') throw conflict('account_closed', `account ${account.account_no} is closed`);
      const row = { account_id: account.id, kind: v.kind, amount_fen: -v.amountFen, ref: v.ref };
      const [{ id }] = await trx('cis.ledger_entries').insert(row).returning('id');
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
        balanceFen: await this.balanceFen(trx, account.id),
      };
    });
  }

  private async balanceFen(db: Knex | Knex.Transaction, accountId: Id): Promise<number> {
    const row = await db('cis.ledger_entries').where({ account_id: accountId }).sum('amount_fen as sum').first();
    return Number(row?.sum ?? 0);
  }

  /** Current balance in fen from the ledger (negative: arrears). */
  async balance(accountNo: string): Promise<number> {
    const account = await Account.query(this.knex).findOne({ account_no: String(accountNo).trim().toUpperCase() });
    if (!account) throw notFound('account', accountNo);
    return this.balanceFen(this.knex, account.id);
  }

  search(q: string, limit = 20): Promise<SearchHit[]> {
    return searchAccounts(this.knex, q, limit);
  }

  async get360(accountNo: string): Promise<Account360> {
    const view = await loadAccount360(this.knex, String(accountNo).trim().toUpperCase());
    if (!view) throw notFound('account', accountNo);
    return view;
  }
}
