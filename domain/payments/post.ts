import type { Knex } from 'knex';
import type { PaymentResult, PostedPayment } from '../../contracts/payments.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { accountPosition, insertEntry, settleAccounts } from '../ledger/service.js';
import { ChangeContextInput } from '../audit/audit.js';
import { zodParser } from '../parse.js';
import { conflict, invalid, notFound } from './errors.js';
import { parse, PostPaymentInput, type PostPayment } from './schemas.js';
import { openSession } from './sessions.js';
import { businessDay } from './settings.js';

/** What makes two submissions of one serial the same payment. */
const fingerprint = (v: PostPayment) => `${v.method}|${v.items.map((i) => `${i.accountNo}=${i.amount}`).join(',')}`;

/**
 * Posts a payment (counter, or a channel's callback) for one or more accounts: per account a `payment` entry on
 * the ledger and a payment row, then the account settles oldest debt first and the rest stays as prepaid credit.
 * Exactly once per (channel, serial): a repeated submission answers with the first result, a serial reused with
 * other accounts or amounts is refused (409 naming `serial`). All or nothing: a closed account refuses the whole
 * submission.
 */
export async function postPayment(knex: Knex, input: unknown, ctxIn: ChangeContext): Promise<PaymentResult> {
  const v = parse(PostPaymentInput, input);
  const ctx = zodParser(invalid)(ChangeContextInput, ctxIn, 'context');
  const totalFen = v.items.reduce((s, i) => s + i.amount, 0);
  if (new Set(v.items.map((i) => i.accountNo)).size !== v.items.length)
    throw invalid('items', 'an account appears twice');
  let tenderedFen: number | null = null;
  if (v.tendered !== undefined) {
    if (v.method !== 'cash') throw invalid('tendered', 'only cash is tendered');
    if (v.tendered < totalFen) throw invalid('tendered', `less than the amount due (${(totalFen / 100).toFixed(2)})`);
    tenderedFen = v.tendered;
  }
  const key = `payment:${v.channel}:${v.serial}`;
  return knex.transaction(async (trx) => {
    // A double click or a repeated callback waits here for the first one, then answers with its result.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 5))', [key]);
    const done = await trx('cis.idempotency_keys').where({ key }).first('result');
    if (done) {
      const first = done.result as PaymentResult & { fingerprint: string };
      if (first.fingerprint !== fingerprint(v))
        throw conflict(
          'serial_reused',
          `serial ${v.serial} was posted on ${first.businessDay} for ${(first.totalFen / 100).toFixed(2)} with other accounts or amounts`,
          'serial',
        );
      const { fingerprint: _f, ...result } = first;
      return { ...result, replayed: true };
    }
    const session = v.channel === 'counter' ? await openSession(trx, ctx.actor) : null;
    const day = session?.day ?? (await businessDay(trx));
    const sessionId = session?.id ?? null;
    // locked in id order, as lockAccountRows does: two submissions over the same accounts never deadlock
    const { rows: accounts } = await trx.raw(
      `SELECT id, account_no, status FROM cis.accounts WHERE account_no = ANY(?) ORDER BY id FOR UPDATE`,
      [v.items.map((i) => i.accountNo)],
    );
    const payments: PostedPayment[] = [];
    for (const [n, item] of v.items.entries()) {
      const account = accounts.find((a: { account_no: string }) => a.account_no === item.accountNo);
      if (!account) throw notFound('account', item.accountNo);
      if (account.status === 'closed')
        throw conflict('account_closed', `account ${item.accountNo} is closed`, `items.${n}.accountNo`);
      payments.push(await postOne(trx, account, item.amount, n, v, sessionId, day, ctx));
    }
    const paidAt = new Date().toISOString();
    const result: PaymentResult = {
      batch: v.serial,
      channel: v.channel,
      method: v.method,
      cashier: ctx.actor,
      businessDay: day,
      paidAt,
      totalFen,
      tenderedFen,
      changeFen: tenderedFen === null ? 0 : tenderedFen - totalFen,
      replayed: false,
      payments,
    };
    await trx('cis.idempotency_keys').insert({
      key,
      operation: 'postPayment',
      result: JSON.stringify({ ...result, fingerprint: fingerprint(v) }),
    });
    return result;
  });
}

async function postOne(
  trx: Knex.Transaction,
  account: { id: string; account_no: string },
  amountFen: number,
  n: number,
  v: PostPayment,
  sessionId: number | null,
  day: string,
  ctx: ChangeContext,
): Promise<PostedPayment> {
  const serial = v.items.length === 1 ? v.serial : `${v.serial}#${n + 1}`;
  const entry = await insertEntry(trx, {
    account_id: account.id,
    kind: 'payment',
    amount_fen: amountFen,
    ref: `payment:${v.channel}:${serial}`,
  });
  if (!entry.created) throw conflict('serial_reused', `serial ${serial} was posted before`, 'serial');
  const [{ id }] = await trx('cis.payments')
    .insert({
      channel: v.channel,
      serial,
      method: v.method,
      account_id: account.id,
      amount_fen: amountFen,
      tendered_fen: v.items.length === 1 ? (v.tendered ?? null) : null, // a batch's tender is the batch's
      batch: v.serial,
      cashier: ctx.actor,
      session_id: sessionId,
      entry_id: entry.id,
      business_day: day,
    })
    .returning('id');
  // what this payment settled (the rows of other credit, were there any left open, are not its own)
  const settled = (await settleAccounts(trx, [account.id])).settled
    .filter((x) => x.creditEntryId === entry.id)
    .map(({ creditEntryId: _c, ...x }) => x);
  const after = await accountPosition(trx, account.id);
  // a payment only settles debts, so what was owed before is what is owed now plus what it settled
  const arrearsBefore = after.arrearsFen + settled.reduce((sum, x) => sum + x.amountFen, 0);
  await writeAudit(trx, ctx, [
    {
      action: 'paid',
      entity: 'payment',
      entityId: id,
      accountId: account.id,
      before: { balanceFen: after.balanceFen - amountFen },
      after: { channel: v.channel, serial, method: v.method, amountFen, balanceFen: after.balanceFen },
    },
  ]);
  return {
    paymentId: Number(id),
    accountNo: account.account_no,
    amountFen,
    settled,
    creditAfterFen: after.creditFen,
    arrearsAfterFen: after.arrearsFen,
    arrearsCleared: arrearsBefore > 0 && after.arrearsFen === 0,
  };
}
