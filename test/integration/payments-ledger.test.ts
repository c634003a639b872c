import fc from 'fast-check';
import { reverseBill } from '../../domain/billing/bills.js';
import { accountPosition } from '../../domain/ledger/service.js';
import { PaymentsService } from '../../domain/payments/service.js';
import { AccountsService } from '../../domain/accounts/service.js';
import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { billingAccount, postedBill } from '../support/billing.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

// Allocation through the ledger (domain/ledger + domain/payments), against hand-computed cases and, with
// fast-check, against any sequence of bills, payments, reversals, re-bills, charges and refunds.
let db: TestDatabase;
let payments: PaymentsService;
let tariffId: number;
beforeAll(async () => {
  db = await freshDatabase();
  await seedDemoTariffs(db.knex);
  tariffId = Number((await db.knex('cis.tariffs').where({ customer_class: 'residential' }).first('id')).id);
  payments = new PaymentsService(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

const cashier = { actor: 'cashier-a' };
let serials = 0;
const yuan = (fen: number) => (fen / 100).toFixed(2);
const pay = (accountNo: string, fen: number, serial = `s${++serials}`) =>
  payments.post({ serial, method: 'cash', items: [{ accountNo, amount: yuan(fen) }] }, cashier);

/** A posted bill of `fen` for `period` (YYYY-MM), due on `asOf` + the tariff's payment days. */
const bill = (accountId: number, period: string, fen: number, asOf?: string) =>
  postedBill(db.knex, accountId, tariffId, period, fen, asOf);

const open = async (accountId: number) => {
  const p = await accountPosition(db.knex, accountId);
  return { credit: p.creditFen, arrears: p.arrearsFen, debts: p.debts.map((d) => [d.kind, d.period, d.openFen]) };
};

test('partial, exact and over payments settle the oldest bill first; the rest is credit that pays the next bill', async () => {
  const a = await billingAccount(db.knex);
  await bill(a.id, '2026-01', 9200);
  await bill(a.id, '2026-02', 9200);

  const partial = await pay(a.accountNo, 5000);
  expect(partial.payments[0]).toMatchObject({ amountFen: 5000, creditAfterFen: 0, arrearsAfterFen: 13400 });
  expect(partial.payments[0].settled.map((s) => [s.period, s.amountFen])).toEqual([['2026-01', 5000]]);
  expect(await open(a.id)).toEqual({
    credit: 0,
    arrears: 13400,
    debts: [
      ['bill', '2026-01', 4200],
      ['bill', '2026-02', 9200],
    ],
  });

  const exact = await pay(a.accountNo, 4200);
  expect(exact.payments[0].settled.map((s) => [s.period, s.amountFen])).toEqual([['2026-01', 4200]]);
  expect(await open(a.id)).toMatchObject({ arrears: 9200, debts: [['bill', '2026-02', 9200]] });

  // 100.00 against 92.00: the February bill is paid, 8.00 stays as prepaid credit and the arrears are cleared.
  const over = await pay(a.accountNo, 10000);
  expect(over.payments[0]).toMatchObject({ creditAfterFen: 800, arrearsAfterFen: 0, arrearsCleared: true });
  expect(over.payments[0].settled.map((s) => [s.period, s.amountFen])).toEqual([['2026-02', 9200]]);

  // March's bill of 92.00 posts and settles 8.00 from the credit at once: 84.00 open.
  await bill(a.id, '2026-03', 9200);
  expect(await open(a.id)).toEqual({ credit: 0, arrears: 8400, debts: [['bill', '2026-03', 8400]] });
});

test('bills are settled by due date, then late fees, then other charges; the order is configurable', async () => {
  const a = await billingAccount(db.knex);
  const feb = await bill(a.id, '2026-02', 3000);
  await bill(a.id, '2026-01', 2000, '2026-01-20'); // an older due date although posted later
  await db.knex('cis.ledger_entries').insert({
    account_id: a.id,
    kind: 'late_fee',
    amount_fen: -150,
    ref: `late-fee:${feb}:2026-03-30`,
    bill_id: feb,
  });
  await new AccountsService(db.knex).postCharge(
    a.accountNo,
    { kind: 'certificate_fee', amountFen: 1000, ref: 'c1' },
    {
      actor: 'clerk',
    },
  );
  // 25.00 pays January (20.00) and 5.00 of February; the fee and the charge wait.
  await pay(a.accountNo, 2500);
  expect((await open(a.id)).debts).toEqual([
    ['bill', '2026-02', 2500],
    ['late_fee', '2026-02', 150],
    ['certificate_fee', null, 1000],
  ]);

  await db.knex('cis.payment_settings').update({ allocation_order: '{late_fee,charge,bill}' });
  try {
    // Late fees first, then charges, then bills: 2.00 = the fee (1.50) and 0.50 of the certificate fee.
    const r = await pay(a.accountNo, 200);
    expect(r.payments[0].settled.map((s) => [s.kind, s.amountFen])).toEqual([
      ['late_fee', 150],
      ['certificate_fee', 50],
    ]);
  } finally {
    await db.knex('cis.payment_settings').update({ allocation_order: '{bill,late_fee,charge}' });
  }
});

test('a reversed payment re-opens what it paid; a reversed paid bill frees its money to the next debt or credit', async () => {
  const a = await billingAccount(db.knex);
  const jan = await bill(a.id, '2026-01', 6000);
  await bill(a.id, '2026-02', 4000);
  const first = await pay(a.accountNo, 6000);
  await pay(a.accountNo, 1000);
  expect(await open(a.id)).toMatchObject({ arrears: 3000 });

  // The cashier reverses the first payment the same day: January is open again, both entries stay.
  await payments.reverse(first.payments[0].paymentId, { reason: '录错户号' }, cashier);
  expect(await open(a.id)).toEqual({
    credit: 0,
    arrears: 9000,
    debts: [
      ['bill', '2026-01', 6000],
      ['bill', '2026-02', 3000],
    ],
  });
  await expect(payments.reverse(first.payments[0].paymentId, { reason: 'again' }, cashier)).rejects.toMatchObject({
    status: 409,
    code: 'already_reversed',
  });
  // Another cashier cannot; a manager's approval can.
  const second = (await db.knex('cis.payments').where({ account_id: a.id }).orderBy('id', 'desc').first()).id;
  await expect(payments.reverse(Number(second), { reason: 'x' }, { actor: 'cashier-b' })).rejects.toMatchObject({
    status: 409,
    code: 'reversal_needs_approval',
  });

  // January paid in full again, then the January bill is reversed (wrong reading): its 60.00 pays February's
  // 30.00 and 30.00 remain as credit.
  await pay(a.accountNo, 6000);
  expect(await open(a.id)).toMatchObject({ arrears: 3000 });
  await reverseBill(db.knex, jan, { reason: '抄错' }, { actor: 'clerk' });
  expect(await open(a.id)).toEqual({ credit: 3000, arrears: 0, debts: [] });
});

test('a refund pays out credit only with approval and never more than the credit', async () => {
  const a = await billingAccount(db.knex);
  await pay(a.accountNo, 5000);
  await expect(
    payments.requestRefund(a.accountNo, { amount: '50.01', reason: '销户退款' }, cashier),
  ).rejects.toMatchObject({ status: 409, code: 'insufficient_credit', field: 'amount' });
  const req = await payments.requestRefund(a.accountNo, { amount: '30', reason: '销户退款' }, cashier);
  expect((await open(a.id)).credit).toBe(5000); // nothing moves before the approval
  const paid = await payments.decideRefund(req.refundId, { approved: true }, { actor: 'manager' });
  expect(paid).toMatchObject({ status: 'paid', creditFen: 2000 });
  const again = await payments.decideRefund(req.refundId, { approved: false }, { actor: 'manager' });
  expect(again.status).toBe('paid');
});

/** The ledger's invariants for one account, from SQL alone. */
async function checkInvariants(accountId: number) {
  const { rows } = await db.knex.raw(
    `SELECT e.id, e.amount_fen::bigint AS amount,
            coalesce((SELECT sum(x.amount_fen) FROM cis.allocations x
                      WHERE CASE WHEN e.amount_fen > 0 THEN x.credit_entry_id ELSE x.debit_entry_id END = e.id), 0)::bigint AS allocated
     FROM cis.ledger_entries e WHERE e.account_id = ?`,
    [accountId],
  );
  let sum = 0;
  let credit = 0;
  let arrears = 0;
  for (const r of rows) {
    const amount = Number(r.amount);
    const allocated = Number(r.allocated);
    sum += amount;
    // never a fen allocated twice: no entry is allocated beyond its amount, nor below zero
    expect(allocated).toBeGreaterThanOrEqual(0);
    expect(allocated).toBeLessThanOrEqual(Math.abs(amount));
    if (amount > 0) credit += amount - allocated;
    else arrears += -amount - allocated;
  }
  const { rows: pairs } = await db.knex.raw(
    `SELECT count(*)::int AS bad FROM (
       SELECT credit_entry_id, debit_entry_id FROM cis.allocations WHERE account_id = ?
       GROUP BY 1, 2 HAVING sum(amount_fen) < 0) x`,
    [accountId],
  );
  expect(pairs[0].bad).toBe(0);
  expect(credit).toBeGreaterThanOrEqual(0);
  expect(sum).toBe(credit - arrears);
  expect(credit === 0 || arrears === 0).toBe(true);
  return { sum, credit, arrears };
}

type Op =
  | { op: 'bill'; fen: number }
  | { op: 'pay'; fen: number }
  | { op: 'reversePayment'; pick: number }
  | { op: 'rebill'; pick: number; fen: number }
  | { op: 'charge'; fen: number }
  | { op: 'refund'; part: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('bill' as const), fen: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ op: fc.constant('pay' as const), fen: fc.integer({ min: 1, max: 30_000 }) }),
  fc.record({ op: fc.constant('reversePayment' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('rebill' as const), pick: fc.nat(), fen: fc.integer({ min: 0, max: 20_000 }) }),
  fc.record({ op: fc.constant('charge' as const), fen: fc.integer({ min: 1, max: 5_000 }) }),
  fc.record({ op: fc.constant('refund' as const), part: fc.double({ min: 0.1, max: 1, noNaN: true }) }),
);

test('any sequence of bills, payments, reversals, re-bills, charges and refunds keeps the ledger balanced', async () => {
  let month = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
      const a = await billingAccount(db.knex);
      const bills: number[] = [];
      const paid: number[] = [];
      let expected = 0;
      for (const o of ops) {
        if (o.op === 'bill') {
          month++;
          const period = `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
          bills.push(await bill(a.id, period, o.fen));
          expected -= o.fen;
        } else if (o.op === 'pay') {
          const r = await pay(a.accountNo, o.fen);
          paid.push(r.payments[0].paymentId);
          expected += o.fen;
        } else if (o.op === 'reversePayment' && paid.length > 0) {
          const [id] = paid.splice(o.pick % paid.length, 1);
          const p = await payments.getPayment(id);
          await payments.reverse(id, { reason: 'test' }, { actor: 'manager' }, { by: 'manager' });
          expected -= p.amountFen;
        } else if (o.op === 'rebill' && bills.length > 0) {
          const [id] = bills.splice(o.pick % bills.length, 1);
          const old = await db.knex('cis.bills').where({ id }).first('amount_fen', 'period');
          const fees = await db
            .knex('cis.ledger_entries')
            .where({ bill_id: id, kind: 'late_fee' })
            .sum('amount_fen as s');
          await reverseBill(db.knex, id, { reason: 'test' }, { actor: 'clerk' });
          expected += Number(old.amount_fen) - Number(fees[0].s ?? 0);
          if (o.fen > 0) {
            month++;
            const period = `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
            bills.push(await bill(a.id, period, o.fen));
            expected -= o.fen;
          }
        } else if (o.op === 'charge') {
          await new AccountsService(db.knex).postCharge(
            a.accountNo,
            { kind: 'certificate_fee', amountFen: o.fen, ref: `c${++serials}` },
            { actor: 'clerk' },
          );
          expected -= o.fen;
        } else if (o.op === 'refund') {
          const { credit } = await checkInvariants(a.id);
          const fen = Math.floor(credit * o.part);
          if (fen >= 1) {
            const r = await payments.requestRefund(a.accountNo, { amount: yuan(fen), reason: 'test' }, cashier);
            await payments.decideRefund(r.refundId, { approved: true }, { actor: 'manager' });
            expected -= fen;
          }
        }
        const state = await checkInvariants(a.id);
        expect(state.sum).toBe(expected);
      }
    }),
    { numRuns: 25 },
  );
});

test('the demo seed pays six bills in seven at the counter, each payment settling its bill', async () => {
  const { seedDemoAccounts } = await import('../../db/seeds/accounts/generate.js');
  const seeded = await seedDemoAccounts(db.knex, { count: 70 });
  const { rows } = await db.knex.raw(
    `SELECT a.id FROM cis.accounts a WHERE a.account_no BETWEEN ? AND ? ORDER BY a.id`,
    [seeded.firstAccountNo, seeded.lastAccountNo],
  );
  let inArrears = 0;
  for (const r of rows) {
    const p = await accountPosition(db.knex, r.id);
    expect(p.creditFen === 0 || p.arrearsFen === 0).toBe(true);
    expect(p.balanceFen).toBe(p.creditFen - p.arrearsFen);
    if (p.arrearsFen > 0) inArrears++;
  }
  expect(inArrears).toBe(10);
  expect(await db.knex('cis.payments').where({ cashier: 'seed' }).count('* as n').first()).toEqual({ n: '60' });
});
