import { accountPosition } from '../../domain/ledger/service.js';
import { PaymentsError, PaymentsService } from '../../domain/payments/service.js';
import { createKnex } from '../../db/index.js';
import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { billingAccount, postedBill } from '../support/billing.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

// Group posting (domain/payments/post-group.ts): submissions that arrive together go to the database in one
// statement, each answered exactly as if it had been posted alone — refusals included.
let db: TestDatabase;
let tariffId: number;
beforeAll(async () => {
  db = await freshDatabase();
  await seedDemoTariffs(db.knex);
  tariffId = Number((await db.knex('cis.tariffs').where({ customer_class: 'residential' }).first('id')).id);
});
afterAll(async () => {
  await db?.drop();
});

async function billed(fen: number): Promise<{ id: number; accountNo: string }> {
  const a = await billingAccount(db.knex);
  await postedBill(db.knex, a.id, tariffId, '2026-10', fen);
  return a;
}

test('twenty submissions at once are posted in groups and each is answered as if alone', async () => {
  // PostgreSQL counts the calls of each function on connections opened after this (a pool of its own).
  await db.knex.raw(`ALTER DATABASE ${db.knex.client.database()} SET track_functions = 'pl'`);
  const knex = createKnex(db.url);
  const payments = new PaymentsService(knex);
  // Twelve accounts each owing 50.00, paid 30.00: 20.00 left owing on each.
  const owing: Array<{ id: number; accountNo: string }> = [];
  for (let i = 0; i < 12; i++) owing.push(await billed(5_000));
  const closed = await billingAccount(db.knex);
  await db.knex('cis.accounts').where({ id: closed.id }).update({ status: 'closed' });
  const twice = await billed(1_000);
  const reused = await billed(1_000);
  const callsOf = async () => {
    const { rows } = await db.knex.raw(
      `SELECT funcname, calls::int FROM pg_stat_user_functions WHERE schemaname = 'cis' AND funcname LIKE 'post_payment%'`,
    );
    return Object.fromEntries(rows.map((r: { funcname: string; calls: number }) => [r.funcname, r.calls]));
  };

  const post = (serial: string, accountNo: string, amount: string) =>
    payments.post({ serial, method: 'card', items: [{ accountNo, amount }] }, { actor: 'cashier-g' });
  const outcomes = await Promise.allSettled([
    ...owing.map((a, i) => post(`G-${i}`, a.accountNo, '30.00')),
    post('G-unknown', 'NOPE-404', '1.00'),
    post('G-closed', closed.accountNo, '1.00'),
    post('G-twice', twice.accountNo, '10.00'),
    post('G-twice', twice.accountNo, '10.00'),
    post('G-reused', reused.accountNo, '10.00'),
    post('G-reused', reused.accountNo, '12.00'),
    ...owing.slice(0, 2).map((a, i) => post(`G-more-${i}`, a.accountNo, '20.00')),
  ]);

  // Every submission ran cis.post_payment once (PostgreSQL does not count the three refused: their
  // subtransactions rolled back); the ones that waited went together, in few cis.post_payments.
  const counted = outcomes.length - 3;
  await knex.destroy(); // a backend reports its counts when it ends
  let calls = await callsOf();
  for (let waited = 0; calls.post_payment !== counted && waited < 5000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    calls = await callsOf();
  }
  expect(calls.post_payment).toBe(counted);
  expect(calls.post_payments).toBeGreaterThan(0);
  expect(calls.post_payments).toBeLessThan(outcomes.length / 2);

  const value = (i: number) => (outcomes[i] as PromiseFulfilledResult<Awaited<ReturnType<typeof post>>>).value;
  const reason = (i: number) => (outcomes[i] as PromiseRejectedResult).reason as PaymentsError;
  for (let i = 0; i < 12; i++) {
    expect(value(i)).toMatchObject({ batch: `G-${i}`, replayed: false });
    expect(value(i).payments[0]).toMatchObject({ accountNo: owing[i].accountNo, amountFen: 3_000 });
  }
  expect(reason(12)).toBeInstanceOf(PaymentsError);
  expect(reason(12)).toMatchObject({ status: 404 });
  expect(reason(13)).toMatchObject({ status: 409, code: 'account_closed' });
  // The same submission twice: one payment, the second answered with the first's result.
  expect([value(14).replayed, value(15).replayed].sort()).toEqual([false, true]);
  expect(value(14).payments[0].paymentId).toBe(value(15).payments[0].paymentId);
  // One serial with two amounts: one posts, the other is refused naming the serial.
  const reusedOutcomes = [outcomes[16], outcomes[17]];
  expect(reusedOutcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  expect(
    (reusedOutcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason as PaymentsError,
  ).toMatchObject({ status: 409, code: 'serial_reused' });
  // Paid twice (30.00 + 20.00 on 50.00, in either order): the first two accounts owe nothing, the others 20.00.
  expect([value(18), value(19)].map((v) => v.payments[0].amountFen)).toEqual([2_000, 2_000]);
  for (const [i, a] of owing.entries())
    expect((await accountPosition(db.knex, a.id)).arrearsFen).toBe(i < 2 ? 0 : 2_000);

  // Nothing from a refusal stayed behind; every serial posted once.
  const rows = await db.knex('cis.payments').where('serial', 'like', 'G-%').select('serial');
  expect(rows.map((r) => r.serial).sort()).toEqual(
    [...owing.map((_, i) => `G-${i}`), 'G-twice', 'G-reused', 'G-more-0', 'G-more-1'].sort(),
  );
  expect(await db.knex('cis.payments').where({ account_id: closed.id })).toHaveLength(0);
});
