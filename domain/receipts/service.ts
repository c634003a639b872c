import type { Knex } from 'knex';
import type { ChangeContext } from '../audit/audit.js';
import { documentOfBatch } from './document.js';
import { einvoicesOfBatch, markRedLettered, receiptPreference, recordEInvoice } from './einvoices.js';
import { getFormType, listFormTypes, setLayout } from './form-types.js';
import { issueReceipt, printFailed } from './issue.js';
import { issueRange, markLost, receiveBlock, returnRange } from './stock.js';
import { decideVoid, requestVoid } from './voids.js';
import { getReceipt, receiptsOfAccount, receiptsOfBatch, verifyReceipt } from './verify.js';
import { BatchInput, parse } from './schemas.js';
import { cashierStock, countForms, formHistory, listForms } from './views.js';

export type { ChangeContext } from '../audit/audit.js';
export { ReceiptsError } from './errors.js';
export type { EInvoiceRecord, ReceiptPreference } from './einvoices.js';
export type { FormTypeView } from './form-types.js';
export type { IssuedReceipt, PrintFailedResult } from './issue.js';
export type { FormRef, FormFilter } from './schemas.js';
export { FORM_STATES, TRANSITIONS, type FormState } from './states.js';
export type { BlockResult, RangeResult } from './stock.js';
export type { ReceiptSummary, ReceiptVerification, ReceiptView } from './verify.js';
export type { CashierStock, FormCount, FormHistory, FormListItem } from './views.js';
export type { VoidResult } from './voids.js';

/**
 * Receipts (M4, 票据): numbered form stock (received, drawn, returned, lost, voided after approval), receipts of
 * payment batches printed on each cashier's next form, failed prints printed again, the QR verification, form
 * layouts and the e-invoice records. Every form has one state and an append-only history. The API and the job
 * workers call receipts through this facade; refusals are ReceiptsError (404/409/422 naming the field).
 */
export class ReceiptsService {
  constructor(private readonly knex: Knex) {}

  // Stock
  receiveBlock = (input: unknown, ctx: ChangeContext) => receiveBlock(this.knex, input, ctx);
  issueRange = (input: unknown, ctx: ChangeContext) => issueRange(this.knex, input, ctx);
  returnRange = (input: unknown, ctx: ChangeContext) => returnRange(this.knex, input, ctx);
  markLost = (input: unknown, ctx: ChangeContext) => markLost(this.knex, input, ctx);
  requestVoid = (form: unknown, reason: unknown, ctx: ChangeContext) => requestVoid(this.knex, form, reason, ctx);
  decideVoid = (form: unknown, approved: boolean, ctx: ChangeContext, note?: string) =>
    decideVoid(this.knex, form, approved, ctx, note);

  formHistory = (form: unknown) => formHistory(this.knex, form);
  listForms = (filter: unknown) => listForms(this.knex, filter);
  countForms = (input: unknown) => countForms(this.knex, input);
  cashierStock = (cashier: string) => cashierStock(this.knex, cashier);

  // Receipts
  issueReceipt = (batch: unknown, input: unknown, ctx: ChangeContext) => issueReceipt(this.knex, batch, input, ctx);
  printFailed = (receiptId: number, ctx: ChangeContext) => printFailed(this.knex, receiptId, ctx);
  getReceipt = (receiptId: number) => getReceipt(this.knex, receiptId);
  documentOfBatch = (batch: unknown, cashier: string) =>
    documentOfBatch(this.knex, parse(BatchInput, batch, 'batch'), cashier);
  verifyReceipt = (ref: number | string) => verifyReceipt(this.knex, ref);
  receiptsOfBatch = (batch: unknown) => receiptsOfBatch(this.knex, batch);
  receiptsOfAccount = (accountNo: string) => receiptsOfAccount(this.knex, accountNo);

  // Layouts
  getFormType = (code: unknown) => getFormType(this.knex, code);
  listFormTypes = () => listFormTypes(this.knex);
  setLayout = (code: unknown, layout: unknown, ctx: ChangeContext) => setLayout(this.knex, code, layout, ctx);

  // E-invoices (the provider is called by the server or a worker; this is their bookkeeping)
  recordEInvoice = (input: unknown, ctx: ChangeContext) => recordEInvoice(this.knex, input, ctx);
  markRedLettered = (invoiceNo: unknown, redLetterNo: unknown, ctx: ChangeContext) =>
    markRedLettered(this.knex, invoiceNo, redLetterNo, ctx);
  einvoicesOfBatch = (batch: unknown) => einvoicesOfBatch(this.knex, batch);
  receiptPreference = (batch: unknown) => receiptPreference(this.knex, batch);
}
