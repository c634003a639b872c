import { reverseBill } from '../../domain/billing/bills.js';
import { accrueLateFees } from '../../domain/billing/late-fees.js';
import { createRun } from '../../domain/billing/runs.js';
import { computeRun } from '../../domain/billing/run-compute.js';
import { postRun } from '../../domain/billing/run-post.js';
import { createTariff, endTariff, listTariffs } from '../../domain/billing/tariffs.js';
import { PaymentsService } from '../../domain/payments/service.js';
import { addReading, billingAccount } from '../support/billing.js';
import { eventually } from '../support/records.js';
import { startBillingHarness, NOW, type BillingHarness } from './billing-harness.js';

// Demo residential late fee: 1‰ of the outstanding amount a day after the due date, capped at the bill.
let h: BillingHarness;
const PINNED = Date.parse('2026-03-10T12:00:00Z');
beforeAll(async () => {
  h = await startBillingHarness({ pinAt: PINNED });
});
afterAll(async () => {
  await h?.stop();
});

const knex = () => h.t.db.knex;
const ctx = { actor: 'test' };
const fees = async (accountId: number) =>
  (await knex()('cis.ledger_entries').where({ account_id: accountId, kind: 'late_fee' }).orderBy('ref')).map(
    (e) => `${e.ref.split(':')[2]} ${e.amount_fen}`,
  );

/** A counter payment in fen: it settles the account's oldest debt first. */
const pay = (accountNo: string, fen: number, serial: string) =>
  new PaymentsService(knex()).post(
    { serial, method: 'cash', items: [{ accountNo, amount: (fen / 100).toFixed(2) }] },
    { actor: 'cashier-test' },
  );

async function billAndPost(period: string, asOf: string) {
  const run = await createRun(knex(), { period }, ctx);
  await computeRun(knex(), run.id);
  await postRun(knex(), run.id, [], asOf, ctx);
}

let a: { id: number; accountNo: string };
let b: { id: number; accountNo: string };

test('the daily timer accrues the day that just ended on the unpaid part of overdue bills, once', async () => {
  a = await billingAccount(knex());
  b = await billingAccount(knex());
  await addReading(knex(), a.id, '2026-01', '180'); // 82800 fen
  await addReading(knex(), b.id, '2026-01', '20'); // 9200 fen
  await billAndPost('2026-01', '2026-02-05'); // due 2026-03-07
  await pay(a.accountNo, 50000, 'pay-1');

  // 16:31 UTC = 00:31 on 03-11 in China: the timer accrues 03-08, 03-09 and 03-10.
  await h.t.client.pinClock({ timestamp: Date.parse('2026-03-10T16:31:00Z') } as never);
  const pi = await eventually(async () => {
    const found = await h.t.client.searchProcessInstances(
      { filter: { processDefinitionId: 'late-fee-accrual' as never, state: 'COMPLETED' } } as never,
      NOW,
    );
    return found.items[0]?.processInstanceKey;
  });
  expect(pi).toBeTruthy();
  // A owes 32800 of its bill: 32.8 → 33 fen a day; B owes 9200: 9.2 → 9 fen a day.
  expect(await fees(a.id)).toEqual(['2026-03-08 -33', '2026-03-09 -33', '2026-03-10 -33']);
  expect(await fees(b.id)).toEqual(['2026-03-08 -9', '2026-03-09 -9', '2026-03-10 -9']);
  expect(await accrueLateFees(knex(), '2026-03-10')).toEqual({ accruals: 0, amountFen: 0 }); // same day again
});

test('missed days are caught up, a paid bill stops accruing, fees never pass the cap', async () => {
  // A special-industry version from 2026-01-02 with 5‰ a day capped at 2.25 % of the bill, due after 10 days.
  const [special] = await listTariffs(knex(), 'special');
  await endTariff(knex(), special.id, '2026-01-01', ctx);
  await createTariff(
    knex(),
    {
      code: 'SPECIAL-CAP',
      name: '特种行业（测试封顶）',
      customerClass: 'special',
      effectiveFrom: '2026-01-02',
      lateFee: { perMillePerDay: '5', capPct: '2.25' },
      paymentDays: 10,
      components: [{ code: 'water', name: '水费', basis: 'flat', priceFen: 1000 }],
    },
    ctx,
  );
  const c = await billingAccount(knex(), { customerClass: 'special' });
  await addReading(knex(), c.id, '2026-02', '10'); // 10000 fen
  await billAndPost('2026-02', '2026-03-01'); // due 2026-03-11
  await pay(b.accountNo, 9200, 'pay-2');

  const r = await accrueLateFees(knex(), '2026-03-20');
  // A: 03-11 … 03-20 caught up, 10 × 33; B paid its bill: nothing more; C: 50 a day from 03-12, the last cut to
  // fit the cap of 225 (2.25 %).
  expect(await fees(a.id)).toHaveLength(13);
  expect(await fees(b.id)).toHaveLength(3);
  expect(await fees(c.id)).toEqual([
    '2026-03-12 -50',
    '2026-03-13 -50',
    '2026-03-14 -50',
    '2026-03-15 -50',
    '2026-03-16 -25',
  ]);
  expect(r).toEqual({ accruals: 15, amountFen: 10 * 33 + 225 });
  expect(await accrueLateFees(knex(), '2026-04-30')).toMatchObject({ accruals: 41 }); // only A, 03-21 … 04-30
  expect(await fees(c.id)).toHaveLength(5);
});

test('a reversed bill takes its late fees with it and accrues no more', async () => {
  const [bill] = await knex()('cis.bills').where({ account_id: a.id, status: 'posted' });
  await reverseBill(knex(), Number(bill.id), { reason: '水表故障 meter fault' }, ctx);
  const entries = await knex()('cis.ledger_entries').where({ account_id: a.id }).orderBy('id');
  const sum = (kind: string) =>
    entries.filter((e) => e.kind === kind).reduce((s: number, e) => s + Number(e.amount_fen), 0);
  expect(sum('late_fee')).toBe(-(54 * 33)); // 03-08 … 04-30, all kept on the ledger
  expect(sum('late_fee_reversal')).toBe(54 * 33);
  expect(sum('bill') + sum('bill_reversal')).toBe(0);
  expect(await accrueLateFees(knex(), '2026-05-01')).toMatchObject({ accruals: 0 });
  // The customer's earlier payment of 50000 is now a credit.
  expect(entries.reduce((s: number, e) => s + Number(e.amount_fen), 0)).toBe(50000);
});

test('a bad date is refused naming the field', async () => {
  await expect(accrueLateFees(knex(), '2026-13-01')).rejects.toMatchObject({ status: 422, field: 'asOf' });
});
