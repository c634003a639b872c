import type { PaymentResult } from '../../contracts/payments.js';
import { ChangeContextInput, type ChangeContext } from '../audit/audit.js';
import { zodParser } from '../parse.js';
import { invalid } from './errors.js';
import type { PostingGroups } from './post-group.js';
import { parse, PostPaymentInput, type PostPayment } from './schemas.js';

/** What makes two submissions of one serial the same payment. */
const fingerprint = (v: PostPayment) => `${v.method}|${v.items.map((i) => `${i.accountNo}=${i.amount}`).join(',')}`;

/**
 * Posts a payment (counter, or a channel's callback) for one or more accounts: per account a `payment` entry on
 * the ledger and a payment row, then the account settles oldest debt first and the rest stays as prepaid credit.
 * Exactly once per (channel, serial): a repeated submission answers with the first result, a serial reused with
 * other accounts or amounts is refused (409 naming `serial`). All or nothing: a closed account refuses the whole
 * submission. The posting is one statement, cis.post_payment (db/sql/post-payment.ts), sent together with the
 * submissions that arrive at the same time (post-group.ts); the input is checked here.
 */
export async function postPayment(groups: PostingGroups, input: unknown, ctxIn: ChangeContext): Promise<PaymentResult> {
  const v = parse(PostPaymentInput, input);
  const ctx = zodParser(invalid)(ChangeContextInput, ctxIn, 'context');
  const totalFen = v.items.reduce((s, i) => s + i.amount, 0);
  if (new Set(v.items.map((i) => i.accountNo)).size !== v.items.length)
    throw invalid('items', 'an account appears twice');
  if (v.tendered !== undefined) {
    if (v.method !== 'cash') throw invalid('tendered', 'only cash is tendered');
    if (v.tendered < totalFen) throw invalid('tendered', `less than the amount due (${(totalFen / 100).toFixed(2)})`);
  }
  return groups.post({
    channel: v.channel,
    serial: v.serial,
    method: v.method,
    actor: ctx.actor,
    tendered: v.tendered ?? null,
    items: v.items.map((i) => ({ accountNo: i.accountNo, amount: i.amount })),
    fingerprint: fingerprint(v),
    processInstanceKey: ctx.processInstanceKey ?? null,
    taskKey: ctx.taskKey ?? null,
  });
}
