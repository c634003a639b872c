import type { Knex } from 'knex';
import type { FeePaymentResult } from '../../../contracts/case-fees.js';
import { writeAudit, type ChangeContext } from '../../audit/audit.js';
import { businessDay } from '../../payments/settings.js';
import { inTransaction } from '../../transaction.js';
import { casesRefusals, conflict, invalid } from '../errors.js';
import { findCase } from '../records.js';
import { FeePaymentInput, parse } from './schemas.js';

export type { FeePaymentResult };

const yuanText = (fen: number) => (fen / 100).toFixed(2);

/**
 * 业务收费 at the counter: the cashier takes everything the case owes in one payment, in the cashier's day session
 * (opened by the first payment of the day, closed by 日结 — after which nothing posts on that day), exactly once
 * per serial: a repeated submission answers with the first result; the serial on another case or amount, or
 * already used by an account payment, is a 409 naming `serial`.
 */
export async function payFees(
  knex: Knex,
  caseNo: string,
  input: unknown,
  ctxIn: ChangeContext,
): Promise<FeePaymentResult> {
  const v = parse(FeePaymentInput, input);
  return inTransaction(knex, 'cases.connection.payFees', ctxIn, casesRefusals, async (trx, ctx) => {
    // a double click waits here for the first submission, then finds it; the lock is the one account payments take
    // for their serial (db/sql/post-payment.ts), so a serial cannot go to both at once
    await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 5))', [`payment:counter:${v.serial}`]);
    const c = await findCase(trx, caseNo, true);
    const seen = await trx('cis.case_fee_payments')
      .where({ channel: 'counter', serial: v.serial })
      .first('*', trx.raw(`to_char(business_day, 'YYYY-MM-DD') AS day`));
    if (seen) {
      if (String(seen.case_id) !== String(c.id) || Number(seen.amount_fen) !== v.amountYuan)
        throw conflict('serial_reused', `serial ${v.serial} was used for another payment`, 'serial');
      const tendered = seen.tendered_fen == null ? Number(seen.amount_fen) : Number(seen.tendered_fen);
      return {
        caseNo: c.case_no as string,
        paymentId: Number(seen.id),
        amountFen: Number(seen.amount_fen),
        changeFen: tendered - Number(seen.amount_fen),
        businessDay: seen.day,
        replayed: true,
      };
    }
    if (await trx('cis.payments').where({ channel: 'counter', serial: v.serial }).first('id'))
      throw conflict('serial_reused', `serial ${v.serial} was used for an account payment`, 'serial');
    if (c.status !== 'open') throw conflict('case_closed', `case ${c.case_no} is ${c.status}`);
    const due = await trx('cis.case_fees').where({ case_id: c.id, state: 'due' }).orderBy('id').forUpdate();
    const dueFen = due.reduce((s: number, f: Record<string, unknown>) => s + Number(f.amount_fen), 0);
    if (!due.length || dueFen === 0) throw conflict('nothing_due', `case ${c.case_no} owes no fees`);
    if (v.amountYuan !== dueFen)
      throw invalid('amountYuan', `the fees due are ${yuanText(dueFen)} yuan, paid in full at once`);
    if (v.tenderedYuan !== undefined && v.tenderedYuan < dueFen)
      throw invalid('tenderedYuan', 'is less than the amount');

    const day = await businessDay(trx);
    // the cashier's day, as account payments hold it (db/sql/post-payment.ts): shared, the close exclusively
    await trx.raw('SELECT pg_advisory_xact_lock_shared(cis.cashier_day_lock_key(?, CAST(? AS date)))', [
      ctx.actor,
      day,
    ]);
    await trx.raw(
      `INSERT INTO cis.cashier_sessions (cashier, business_day) VALUES (?, CAST(? AS date))
       ON CONFLICT (cashier, business_day) DO NOTHING`,
      [ctx.actor, day],
    );
    const session = await trx('cis.cashier_sessions').where({ cashier: ctx.actor, business_day: day }).first();
    if (session.closed_at)
      throw conflict('session_closed', `${ctx.actor} closed the day ${day} (日结): no more payments on it`);

    const row = {
      case_id: c.id,
      channel: 'counter',
      serial: v.serial,
      method: v.method,
      amount_fen: dueFen,
      tendered_fen: v.tenderedYuan ?? null,
      cashier: ctx.actor,
      session_id: session.id,
      business_day: day,
    };
    const [{ id }] = await trx('cis.case_fee_payments').insert(row).returning('id');
    const dueIds = due.map((f: Record<string, unknown>) => f.id as number);
    await trx('cis.case_fees').whereIn('id', dueIds).update({ state: 'paid', payment_id: id });
    await writeAudit(trx, ctx, [
      {
        action: 'case_fee_paid',
        entity: 'case',
        entityId: c.case_no as string,
        after: { ...row, paymentId: Number(id), items: due.map((f: Record<string, unknown>) => f.item) },
      },
    ]);
    return {
      caseNo: c.case_no as string,
      paymentId: Number(id),
      amountFen: dueFen,
      changeFen: (v.tenderedYuan ?? dueFen) - dueFen,
      businessDay: day,
      replayed: false,
    };
  });
}
