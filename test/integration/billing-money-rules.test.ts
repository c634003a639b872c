import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { accrueLateFees } from '../../domain/billing/late-fees.js';
import { createRun } from '../../domain/billing/runs.js';
import { computeRun } from '../../domain/billing/run-compute.js';
import { finishRun, postRun } from '../../domain/billing/run-post.js';
import { createTariff, endTariff, getTariff, listTariffs } from '../../domain/billing/tariffs.js';
import { PaymentsService } from '../../domain/payments/service.js';
import { addReading, billingAccount } from '../support/billing.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

// Money rules of issue #17, each on a hand-computed example. Demo tariffs (fen per m³): residential water 345
// (first annual tier) + sewage 95 + resource 20 = 460; late fee 1‰ a day, capped at 100 % of the bill.
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await seedDemoTariffs(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

const ctx = { actor: 'test' };

async function billAndPost(period: string, asOf: string) {
  const run = await createRun(db.knex, { period }, ctx);
  const computed = await computeRun(db.knex, run.id);
  await postRun(db.knex, run.id, [], asOf, ctx);
  return { runId: run.id, computed };
}

test('a bill of 0 fen is posted but no notification is sent for it', async () => {
  const idle = await billingAccount(db.knex);
  const used = await billingAccount(db.knex);
  await addReading(db.knex, idle.id, '2026-04', '0'); // 0 m³ → no line, a bill of 0 fen
  await addReading(db.knex, used.id, '2026-04', '10'); // 10 × 460 = 4600 fen
  const { runId } = await billAndPost('2026-04', '2026-05-02');
  const bills = await db.knex('cis.bills').where({ run_id: runId }).orderBy('account_id');
  expect(bills.map((b) => [Number(b.account_id), b.status, Number(b.amount_fen)])).toEqual([
    [idle.id, 'posted', 0],
    [used.id, 'posted', 4600],
  ]);

  expect(await finishRun(db.knex, runId)).toEqual({ notifications: 1 });
  const sent = await db.knex('cis.notifications').whereIn('account_id', [idle.id, used.id]);
  expect(sent.map((n) => [Number(n.account_id), n.payload.amountFen])).toEqual([[used.id, 4600]]);
});

test('late fees on the water charge only: the open part × the water share, capped at a percentage of the water charge', async () => {
  // A special-industry version from 2026-01-02: water 430 (the water charge), sewage 140 and resource 30
  // (levies), 5‰ a day of the water part, at most 2 % of it, due 10 days after posting.
  const [special] = await listTariffs(db.knex, 'special');
  await endTariff(db.knex, special.id, '2026-01-01', ctx);
  const tariff = await createTariff(
    db.knex,
    {
      code: 'SPECIAL-WATER-BASE',
      name: '特种行业（违约金按水费）',
      customerClass: 'special',
      effectiveFrom: '2026-01-02',
      lateFee: { perMillePerDay: '5', capPct: '2', base: 'water' },
      paymentDays: 10,
      components: [
        { code: 'water', name: '水费', basis: 'flat', priceFen: 430, waterCharge: true },
        { code: 'sewage', name: '污水处理费', basis: 'flat', priceFen: 140 },
        { code: 'resource', name: '水资源费', basis: 'flat', priceFen: 30 },
      ],
    },
    ctx,
  );
  expect(tariff.lateFee).toEqual({ perMillePerDay: '5.000', capPct: '2.00', base: 'water' });
  expect(tariff.components.map((c) => [c.code, c.waterCharge])).toEqual([
    ['water', true],
    ['sewage', false],
    ['resource', false],
  ]);
  // Existing tariffs keep today's rule: every component is the base.
  const [residential] = await listTariffs(db.knex, 'residential');
  expect((await getTariff(db.knex, residential.id)).lateFee.base).toBe('all');

  const c = await billingAccount(db.knex, { customerClass: 'special' });
  // 10 m³: water 4300, sewage 1400, resource 300 → 6000 fen; water share 4300 / 6000; cap 2 % × 4300 = 86.
  await addReading(db.knex, c.id, '2026-02', '10');
  await billAndPost('2026-02', '2026-03-01'); // due 2026-03-11
  const fees = async () =>
    (await db.knex('cis.ledger_entries').where({ account_id: c.id, kind: 'late_fee' }).orderBy('ref')).map(
      (e) => `${e.ref.split(':')[2]} ${e.amount_fen}`,
    );

  // 03-12: open 6000 × 4300/6000 = 4300 × 5‰ = 21.5 → 22 (on all components it would be 30).
  await accrueLateFees(db.knex, '2026-03-12');
  // 3000 paid settles half the bill: open 3000 × 4300/6000 = 2150 × 5‰ = 10.75 → 11 a day.
  await new PaymentsService(db.knex).post(
    { serial: 'water-base-1', method: 'cash', items: [{ accountNo: c.accountNo, amount: '30.00' }] },
    { actor: 'cashier-test' },
  );
  await accrueLateFees(db.knex, '2026-03-20');
  // 22 + 11 × 5 (03-13 … 03-17) = 77; 03-18 is cut to the 9 left of the cap of 86; nothing after.
  expect(await fees()).toEqual([
    '2026-03-12 -22',
    '2026-03-13 -11',
    '2026-03-14 -11',
    '2026-03-15 -11',
    '2026-03-16 -11',
    '2026-03-17 -11',
    '2026-03-18 -9',
  ]);
});

test('a tariff whose late fee is on the water charge names at least one water-charge component', async () => {
  const refusal = await createTariff(
    db.knex,
    {
      code: 'NO-WATER-FLAG',
      name: '无水费构成',
      customerClass: 'non_residential',
      effectiveFrom: '2030-01-01',
      lateFee: { perMillePerDay: '1', capPct: '100', base: 'water' },
      components: [{ code: 'water', name: '水费', basis: 'flat', priceFen: 430 }],
    },
    ctx,
  ).catch((e) => e);
  expect(refusal).toMatchObject({ status: 422, field: 'lateFee.base' });
});

test('rounding per bill: the total is rounded once and a rounding line carries the difference to the lines', async () => {
  // A non-residential version from 2026-06-01 priced like the residential first tier but rounding per bill.
  const [nonres] = await listTariffs(db.knex, 'non_residential');
  await endTariff(db.knex, nonres.id, '2026-05-31', ctx);
  const perBill = await createTariff(
    db.knex,
    {
      code: 'NONRES-BILL-ROUNDING',
      name: '非居民（按账单取整）',
      customerClass: 'non_residential',
      effectiveFrom: '2026-06-01',
      rounding: 'bill',
      components: [
        { code: 'water', name: '水费', basis: 'flat', priceFen: 345, waterCharge: true },
        { code: 'sewage', name: '污水处理费', basis: 'flat', priceFen: 95 },
        { code: 'resource', name: '水资源费', basis: 'flat', priceFen: 20 },
      ],
    },
    ctx,
  );
  expect(perBill.rounding).toBe('bill');
  expect((await listTariffs(db.knex, 'residential'))[0].rounding).toBe('line');

  const shop = await billingAccount(db.knex, { customerClass: 'non_residential' });
  const home = await billingAccount(db.knex);
  await addReading(db.knex, shop.id, '2026-06', '0.5');
  await addReading(db.knex, home.id, '2026-06', '0.5');
  const run = await createRun(db.knex, { period: '2026-06' }, ctx);
  await computeRun(db.knex, run.id);
  const billOf = async (accountId: number) => {
    const b = await db.knex('cis.bills').where({ account_id: accountId, period: '2026-06-01' }).first();
    const lines = await db.knex('cis.bill_lines').where({ bill_id: b.id }).orderBy('line_no');
    return { amount: Number(b.amount_fen), lines: lines.map((l) => `${l.component} ${l.amount_fen}`) };
  };
  // Per line (residential): 0.5 × 345 = 172.5 → 173, 0.5 × 95 = 47.5 → 48, 0.5 × 20 = 10: 231.
  expect(await billOf(home.id)).toEqual({ amount: 231, lines: ['water 173', 'sewage 48', 'resource 10'] });
  // Per bill: 172.5 + 47.5 + 10 = 230 exactly; the lines as rounded say 231, a rounding line of -1 makes 230.
  expect(await billOf(shop.id)).toEqual({
    amount: 230,
    lines: ['water 173', 'sewage 48', 'resource 10', 'rounding -1'],
  });
});

test('a component may not be called rounding: that line is the bill rounding difference', async () => {
  const refusal = await createTariff(
    db.knex,
    {
      code: 'ROUNDING-CODE',
      name: '保留代码',
      customerClass: 'non_residential',
      effectiveFrom: '2031-01-01',
      components: [{ code: 'rounding', name: '取整', basis: 'flat', priceFen: 1 }],
    },
    ctx,
  ).catch((e) => e);
  expect(refusal).toMatchObject({ status: 422, field: 'components.0.code' });
});
