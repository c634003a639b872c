import type { Knex } from 'knex';
import type { ChangeContext } from '../audit/audit.js';
import { accountPosition } from '../ledger/service.js';
import { allCloses, closeDay, dailySummary } from './close.js';
import { counterAccount, paymentsOf } from './counter.js';
import { notFound } from './errors.js';
import { postPayment } from './post.js';
import { PostingGroups } from './post-group.js';
import { decideRefund, requestRefund } from './refund.js';
import { reversePayment } from './reverse.js';
import { businessDay, paymentSettings } from './settings.js';

export { PaymentsError } from './errors.js';
export type { ReversalResult } from './reverse.js';

/**
 * Payments (M3): posting (counter and the electronic channels), allocation through the ledger (domain/ledger),
 * reversal, credit refunds and the cashier's daily close. The API and the job workers call payments through
 * this facade. Refusals are PaymentsError (404/409/422 naming the field).
 */
export class PaymentsService {
  private readonly postingGroups: PostingGroups;

  constructor(private readonly knex: Knex) {
    this.postingGroups = new PostingGroups(knex);
  }

  post = (input: unknown, ctx: ChangeContext) => postPayment(this.postingGroups, input, ctx);
  reverse = (paymentId: number, input: unknown, ctx: ChangeContext, approved?: { by: string }) =>
    reversePayment(this.knex, paymentId, input, ctx, approved);
  requestRefund = (accountNo: string, input: unknown, ctx: ChangeContext) =>
    requestRefund(this.knex, accountNo, input, ctx);
  decideRefund = (refundId: number, input: unknown, ctx: ChangeContext) =>
    decideRefund(this.knex, refundId, input, ctx);

  counterAccount = (accountNo: string) => counterAccount(this.knex, accountNo);
  dailySummary = (cashier: string, day?: string) => dailySummary(this.knex, cashier, day);
  closeDay = (cashier: string, ctx: ChangeContext, day?: string) => closeDay(this.knex, cashier, ctx, day);
  allCloses = (day?: string) => allCloses(this.knex, day);
  settings = () => paymentSettings(this.knex);
  businessDay = () => businessDay(this.knex);

  async getPayment(paymentId: number) {
    const p = await this.knex('cis.payments as p')
      .join('cis.accounts as a', 'a.id', 'p.account_id')
      .where('p.id', paymentId)
      .first('p.id', 'p.account_id', 'a.account_no', 'p.amount_fen', 'p.cashier', 'p.batch', 'p.method', 'p.channel');
    if (!p) throw notFound('payment', paymentId);
    return { paymentId, accountNo: p.account_no, amountFen: Number(p.amount_fen), cashier: p.cashier, batch: p.batch };
  }

  async accountPayments(accountNo: string) {
    const a = await this.knex('cis.accounts').where({ account_no: accountNo.trim().toUpperCase() }).first('id');
    if (!a) throw notFound('account', accountNo);
    return { position: await accountPosition(this.knex, a.id), payments: await paymentsOf(this.knex, a.id) };
  }
}
