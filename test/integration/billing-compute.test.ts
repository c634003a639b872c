import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { getBill } from '../../domain/billing/bills.js';
import { createRun } from '../../domain/billing/runs.js';
import { computeRun } from '../../domain/billing/run-compute.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { addReading, billingAccount } from '../support/billing.js';

// Hand-computed bills on the demo tariffs (fen per m³): residential water 345 / 483 / 1035 over annual bounds
// 180 and 260 (+45 / +65 m³ per person above four), sewage 95, resource 20; non-residential 430 + 140 + 30.
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await seedDemoTariffs(db.knex);
});
afterAll(async () => {
  await db.drop();
});

async function run(period: string) {
  const created = await createRun(db.knex, { period }, { actor: 'test' });
  return { id: created.id, ...(await computeRun(db.knex, created.id)) };
}

async function billOf(accountId: number, period: string) {
  const row = await db
    .knex('cis.bills')
    .where({ account_id: accountId, period: `${period}-01` })
    .first('id');
  return getBill(db.knex, Number(row.id));
}

const lines = (b: Awaited<ReturnType<typeof billOf>>) =>
  b.lines.map((l) => `${l.component}/${l.tier}: ${l.volume} × ${l.priceFen} = ${l.amountFen}`);

test('January: tier boundaries, large household, rounding half-up per line, non-residential flat', async () => {
  const exactly180 = await billingAccount(db.knex);
  const just181 = await billingAccount(db.knex);
  const sixPersons = await billingAccount(db.knex, { householdSize: 6 });
  const half = await billingAccount(db.knex);
  const odd = await billingAccount(db.knex);
  const shop = await billingAccount(db.knex, { customerClass: 'non_residential' });
  const pendingOnly = await billingAccount(db.knex);
  await addReading(db.knex, exactly180.id, '2026-01', '180');
  await addReading(db.knex, just181.id, '2026-01', '181');
  await addReading(db.knex, sixPersons.id, '2026-01', '300');
  await addReading(db.knex, half.id, '2026-01', '0.5');
  await addReading(db.knex, odd.id, '2026-01', '12.345');
  await addReading(db.knex, shop.id, '2026-01', '1000.5');
  await addReading(db.knex, pendingOnly.id, '2026-01', '50', 'pending');

  const r = await run('2026-01');
  expect(r).toMatchObject({ total: 6, withoutTariff: 0, review: [] });

  const b180 = await billOf(exactly180.id, '2026-01');
  expect(lines(b180)).toEqual([
    'water/1: 180.000 × 345 = 62100',
    'sewage/1: 180.000 × 95 = 17100',
    'resource/1: 180.000 × 20 = 3600',
  ]);
  expect(b180.amountFen).toBe(82800);

  const b181 = await billOf(just181.id, '2026-01');
  expect(lines(b181)).toEqual([
    'water/1: 180.000 × 345 = 62100',
    'water/2: 1.000 × 483 = 483',
    'sewage/1: 181.000 × 95 = 17195',
    'resource/1: 181.000 × 20 = 3620',
  ]);
  expect(b181.amountFen).toBe(83398);

  // Six persons, two above the base of four: bounds 180 + 2×45 = 270 and 260 + 2×65 = 390.
  const big = await billOf(sixPersons.id, '2026-01');
  expect(lines(big)).toEqual([
    'water/1: 270.000 × 345 = 93150',
    'water/2: 30.000 × 483 = 14490',
    'sewage/1: 300.000 × 95 = 28500',
    'resource/1: 300.000 × 20 = 6000',
  ]);
  expect(big.amountFen).toBe(142140);

  // 0.5 × 345 = 172.5 → 173 and 0.5 × 95 = 47.5 → 48 (half-up, not to even); 12.345 × 95 = 1172.775 → 1173.
  expect((await billOf(half.id, '2026-01')).lines.map((l) => l.amountFen)).toEqual([173, 48, 10]);
  const oddBill = await billOf(odd.id, '2026-01');
  expect(oddBill.lines.map((l) => l.amountFen)).toEqual([4259, 1173, 247]);
  expect(oddBill.amountFen).toBe(5679);

  const shopBill = await billOf(shop.id, '2026-01');
  expect(lines(shopBill)).toEqual([
    'water/1: 1000.500 × 430 = 430215',
    'sewage/1: 1000.500 × 140 = 140070',
    'resource/1: 1000.500 × 30 = 30015',
  ]);
  expect(shopBill.amountFen).toBe(600300);

  expect(await db.knex('cis.bills').where({ account_id: pendingOnly.id })).toHaveLength(0);
});

test('a year spanning several bills climbs the annual tiers once; repeating the computation adds nothing', async () => {
  const a = await billingAccount(db.knex);
  const volumes: Record<string, string> = { '2026-02': '100', '2026-03': '70', '2026-04': '20', '2026-05': '100' };
  const expected: Record<string, { ytd: string; lines: string[]; amount: number }> = {
    '2026-02': {
      ytd: '0.000',
      lines: ['water/1: 100.000 × 345 = 34500', 'sewage/1: 100.000 × 95 = 9500', 'resource/1: 100.000 × 20 = 2000'],
      amount: 46000,
    },
    '2026-03': {
      ytd: '100.000',
      lines: ['water/1: 70.000 × 345 = 24150', 'sewage/1: 70.000 × 95 = 6650', 'resource/1: 70.000 × 20 = 1400'],
      amount: 32200,
    },
    // 170 billed: 10 m³ left in tier 1, the other 10 in tier 2.
    '2026-04': {
      ytd: '170.000',
      lines: [
        'water/1: 10.000 × 345 = 3450',
        'water/2: 10.000 × 483 = 4830',
        'sewage/1: 20.000 × 95 = 1900',
        'resource/1: 20.000 × 20 = 400',
      ],
      amount: 10580,
    },
    // 190 billed: 70 m³ up to 260 in tier 2, 30 in tier 3.
    '2026-05': {
      ytd: '190.000',
      lines: [
        'water/2: 70.000 × 483 = 33810',
        'water/3: 30.000 × 1035 = 31050',
        'sewage/1: 100.000 × 95 = 9500',
        'resource/1: 100.000 × 20 = 2000',
      ],
      amount: 76360,
    },
  };
  for (const [period, v] of Object.entries(volumes)) {
    await addReading(db.knex, a.id, period, v);
    const r = await run(period);
    const again = await computeRun(db.knex, r.id); // a redelivered job
    expect(again.total).toBe(r.total);
    const bill = await billOf(a.id, period);
    expect({ ytd: bill.ytdVolumeBefore, lines: lines(bill), amount: bill.amountFen }).toEqual(expected[period]);
    expect(await db.knex('cis.bills').where({ account_id: a.id, period: `${period}-01` })).toHaveLength(1);
  }
});

test('a new year starts at the first tier again; bills above the threshold wait for review', async () => {
  const a = await billingAccount(db.knex);
  await addReading(db.knex, a.id, '2026-12', '250');
  await addReading(db.knex, a.id, '2027-01', '10');
  const dec = await run('2026-12');
  const created = await createRun(db.knex, { period: '2027-01', reviewThresholdFen: 4000 }, { actor: 'test' });
  const jan = await computeRun(db.knex, created.id);
  expect(dec.review).toEqual([]);
  const bill = await billOf(a.id, '2027-01');
  expect(bill.ytdVolumeBefore).toBe('0.000');
  expect(bill.amountFen).toBe(10 * 345 + 10 * 95 + 10 * 20);
  expect(jan.review).toEqual([{ billId: bill.id, accountNo: a.accountNo, volume: '10.000', amountFen: 4600 }]);
  expect(bill.status).toBe('review');
});

test('many small chunks side by side bill every account once and count progress to the total', async () => {
  const accounts = [];
  for (let i = 0; i < 7; i++) accounts.push(await billingAccount(db.knex));
  for (const [i, a] of accounts.entries()) await addReading(db.knex, a.id, '2026-06', String(i + 1));
  const created = await createRun(db.knex, { period: '2026-06' }, { actor: 'test' });
  const r = await computeRun(db.knex, created.id, { chunkSize: 2, concurrency: 3 });
  expect(r.total).toBe(7);
  const run = await db.knex('cis.bill_runs').where({ id: created.id }).first();
  expect(run).toMatchObject({ accounts_done: 7, accounts_total: 7, status: 'reviewing' });
  const bills = await db.knex('cis.bills').where({ run_id: created.id }).orderBy('account_id');
  expect(bills.map((b) => Number(b.account_id))).toEqual(accounts.map((a) => a.id));
  expect(bills.map((b) => Number(b.amount_fen))).toEqual([1, 2, 3, 4, 5, 6, 7].map((v) => v * (345 + 95 + 20)));
});
