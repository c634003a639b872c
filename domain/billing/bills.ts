import type { Knex } from 'knex';
import type { BillView } from '../../contracts/bills.js';
import { writeAudit, type ChangeContext } from '../audit/audit.js';
import { allocatePair, insertEntry, lockAccountRows, releaseAllocations, settleAccounts } from '../ledger/service.js';
import { conflict, notFound } from './errors.js';
import type { Row } from './rows.js';
import { parse, RebillInput } from './schemas.js';
import { isoDate } from './tariffs.js';

export type { BillView };

export async function getBill(db: Knex | Knex.Transaction, id: number): Promise<BillView> {
  const b = await db('cis.bills as b')
    .join('cis.accounts as a', 'a.id', 'b.account_id')
    .where('b.id', id)
    .first('b.*', 'a.account_no');
  if (!b) throw notFound('bill', id);
  const lines = await db('cis.bill_lines').where({ bill_id: id }).orderBy('line_no');
  return {
    id: Number(b.id),
    runId: b.run_id === null ? null : Number(b.run_id),
    accountNo: b.account_no,
    period: isoDate(b.period).slice(0, 7),
    status: b.status,
    volume: b.volume,
    ytdVolumeBefore: b.ytd_volume_before,
    amountFen: Number(b.amount_fen),
    vatFen: lines.reduce((sum, l) => sum + Number(l.vat_fen), 0),
    dueDate: b.due_date ? isoDate(b.due_date) : null,
    replacesBillId: b.replaces_bill_id === null ? null : Number(b.replaces_bill_id),
    lines: lines.map((l) => ({
      component: l.component,
      tier: l.tier,
      volume: l.volume,
      priceFen: Number(l.price_fen),
      amountFen: Number(l.amount_fen),
      vatFen: Number(l.vat_fen),
    })),
  };
}

/** The bills of an account, newest period first. */
export async function billsOfAccount(knex: Knex, accountNo: string): Promise<BillView[]> {
  const ids = await knex('cis.bills as b')
    .join('cis.accounts as a', 'a.id', 'b.account_id')
    .where('a.account_no', accountNo.trim().toUpperCase())
    .orderBy([
      { column: 'b.period', order: 'desc' },
      { column: 'b.id', order: 'desc' },
    ])
    .pluck('b.id');
  return Promise.all(ids.map((id: string) => getBill(knex, Number(id))));
}

/** Reverses a posted bill inside the caller's transaction (its late fees too); the re-bill builds on it. */
export async function reverseInTrx(trx: Knex.Transaction, bill: Row, reason: string, ctx: ChangeContext) {
  await lockAccountRows(trx, [bill.account_id]);
  // The bill's entry and its late fees are settled by their reversals; what payments had settled there is
  // released and settles other debts (or becomes credit) below.
  const debts = await trx('cis.ledger_entries')
    .where({ bill_id: bill.id })
    .whereIn('kind', ['bill', 'late_fee'])
    .select('id', 'kind', 'amount_fen');
  for (const d of debts) await releaseAllocations(trx, d.id);
  const billEntry = debts.find((d) => d.kind === 'bill');
  if (billEntry) {
    const reversal = await insertEntry(trx, {
      account_id: bill.account_id,
      kind: 'bill_reversal',
      amount_fen: Number(bill.amount_fen),
      ref: `bill-reversal:${bill.id}`,
      bill_id: bill.id,
    });
    // The reversal settles the bill's entry: a debit bill is settled by its credit reversal, a credit bill (a
    // true-up below an estimate) settles its debit reversal.
    const fen = Number(bill.amount_fen);
    if (fen > 0) await allocatePair(trx, bill.account_id, reversal.id, billEntry.id, fen);
    else if (fen < 0) await allocatePair(trx, bill.account_id, billEntry.id, reversal.id, -fen);
  }
  // Late fees charged on a wrong bill go with it: one credit of their sum (the fee entries stay).
  const fees = debts.filter((d) => d.kind === 'late_fee');
  const lateFeesFen = -fees.reduce((s, f) => s + Number(f.amount_fen), 0);
  if (lateFeesFen > 0) {
    const reversal = await insertEntry(trx, {
      account_id: bill.account_id,
      kind: 'late_fee_reversal',
      amount_fen: lateFeesFen,
      ref: `late-fee-reversal:${bill.id}`,
      bill_id: bill.id,
    });
    for (const f of fees) await allocatePair(trx, bill.account_id, reversal.id, f.id, -Number(f.amount_fen));
  }
  await settleAccounts(trx, [bill.account_id]);
  await trx('cis.bills').where({ id: bill.id }).update({ status: 'reversed', reversed_at: trx.fn.now(), note: reason });
  await writeAudit(trx, ctx, [
    {
      action: 'reversed',
      entity: 'bill',
      entityId: bill.id,
      accountId: bill.account_id,
      before: { status: bill.status },
      after: { status: 'reversed', amountFen: Number(bill.amount_fen), lateFeesFen, reason },
    },
  ]);
}

export async function lockBill(trx: Knex.Transaction, id: number): Promise<Row> {
  const bill = await trx('cis.bills').where({ id }).forUpdate().first();
  if (!bill) throw notFound('bill', id);
  return bill;
}

/** Reverses a posted bill: a credit entry of the same amount beside the bill's entry (both stay), and its late fees. */
export async function reverseBill(knex: Knex, id: number, input: unknown, ctx: ChangeContext): Promise<BillView> {
  const v = parse(RebillInput, input);
  await knex.transaction(async (trx) => {
    const bill = await lockBill(trx, id);
    if (bill.status !== 'posted') throw conflict('not_posted', `bill ${id} is ${bill.status}, not posted`);
    await reverseInTrx(trx, bill, v.reason, ctx);
  });
  return getBill(knex, id);
}
