import type { Knex } from 'knex';
import type { ChangeContext } from '../audit/audit.js';
import { createBook } from './books.js';
import { reissueCertificate } from './certificates.js';
import { closeAccount } from './close.js';
import { notFound } from './errors.js';
import { finalBill } from './final-bill.js';
import { balance, balanceAwaitingSettlement, postCharge } from './ledger.js';
import { replaceMeter } from './meters.js';
import { openAccount } from './open.js';
import { requestRefundDue } from './refund-due.js';
import { searchAccounts, type SearchHit } from './search.js';
import { resumeAccount, suspendAccount } from './suspension.js';
import { transferOwnership } from './transfer.js';
import { loadAccount360, type Account360 } from './view360.js';

export type { ChangeContext } from '../audit/audit.js';
export type { SearchHit } from './search.js';
export type { Account360 } from './view360.js';
export type { OpenedAccount } from './open.js';
export type { FinalBill } from './final-bill.js';
export type { RefundDue } from './refund-due.js';
export { AccountsError } from './errors.js';

/**
 * Customer accounts (M1). Every method is one transaction: it validates, changes rows, and appends
 * the audit rows for that change before committing, so a refusal or a failure leaves nothing behind.
 * Accounts are addressed by account number, the business key that process variables carry.
 */
export class AccountsService {
  constructor(private readonly knex: Knex) {}

  createBook = (input: unknown, ctx: ChangeContext) => createBook(this.knex, input, ctx);
  openAccount = (input: unknown, ctx: ChangeContext) => openAccount(this.knex, input, ctx);
  transferOwnership = (accountNo: string, input: unknown, ctx: ChangeContext) =>
    transferOwnership(this.knex, accountNo, input, ctx);
  reissueCertificate = (accountNo: string, input: unknown, ctx: ChangeContext) =>
    reissueCertificate(this.knex, accountNo, input, ctx);
  closeAccount = (accountNo: string, input: unknown, ctx: ChangeContext) =>
    closeAccount(this.knex, accountNo, input, ctx);
  suspendAccount = (accountNo: string, input: unknown, ctx: ChangeContext) =>
    suspendAccount(this.knex, accountNo, input, ctx);
  resumeAccount = (accountNo: string, ctx: ChangeContext) => resumeAccount(this.knex, accountNo, ctx);
  replaceMeter = (accountNo: string, input: unknown, ctx: ChangeContext) =>
    replaceMeter(this.knex, accountNo, input, ctx);
  /** 最终账单: the final or transfer reading recorded, the account's unbilled periods up to it billed and posted. */
  finalBill = (accountNo: string, input: unknown, ctx: ChangeContext) => finalBill(this.knex, accountNo, input, ctx);
  /** 销户退费: the whole credit requested as a refund for the credit-refund approval. */
  requestRefundDue = (accountNo: string, ctx: ChangeContext) => requestRefundDue(this.knex, accountNo, ctx);
  postCharge = (accountNo: string, input: unknown, ctx: ChangeContext) => postCharge(this.knex, accountNo, input, ctx);
  /** Current balance in fen from the ledger (negative: arrears). */
  balance = (accountNo: string) => balance(this.knex, accountNo);
  /** The balance, and with arrears the account awaits their settlement (`arrears-settled` once paid). */
  balanceAwaitingSettlement = (accountNo: string) => balanceAwaitingSettlement(this.knex, accountNo);

  search(q: string, limit = 20): Promise<SearchHit[]> {
    return searchAccounts(this.knex, q, limit);
  }

  async get360(accountNo: string): Promise<Account360> {
    const view = await loadAccount360(this.knex, String(accountNo).trim().toUpperCase());
    if (!view) throw notFound('account', accountNo);
    return view;
  }
}
