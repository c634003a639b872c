import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { AccountsService } from '../../domain/accounts/service.js';
import { getBill } from '../../domain/billing/bills.js';
import { householdChanges, recordHouseholdChange } from '../../domain/billing/household.js';
import { createRun } from '../../domain/billing/runs.js';
import { computeRun } from '../../domain/billing/run-compute.js';
import { finishRun, postRun } from '../../domain/billing/run-post.js';
import { createTariff, endTariff, listTariffs } from '../../domain/billing/tariffs.js';
import { accountPosition } from '../../domain/ledger/service.js';
import { addReading, billingAccount } from '../support/billing.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

// Money rules of issue #17, second part, each on a hand-computed example. Demo tariffs (fen per m³): residential
// water 345 / 483 / 1035 over annual bounds 180 and 260 (+45 / +65 m³ per person above four), sewage 95,
// resource 20. Each test bills its own periods (one run per period).
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
  await computeRun(db.knex, run.id);
  await postRun(db.knex, run.id, [], asOf, ctx);
  return { runId: run.id, ...(await finishRun(db.knex, run.id)) };
}

async function billOf(accountId: number, period: string) {
  const row = await db
    .knex('cis.bills')
    .where({ account_id: accountId, period: `${period}-01` })
    .whereNotIn('status', ['reversed', 'rejected'])
    .first('id');
  return getBill(db.knex, Number(row.id));
}

const lines = (b: Awaited<ReturnType<typeof billOf>>) =>
  b.lines.map((l) => `${l.component}/${l.tier}: ${l.volume} × ${l.priceFen} = ${l.amountFen} (VAT ${l.vatFen})`);

/** An accepted reading below the previous one (the estimate before it was too high): negative consumption. */
async function trueUp(accountId: number, period: string, consumption: string) {
  await db.knex('cis.readings').insert({
    account_id: accountId,
    period: `${period}-01`,
    read_at: `${period}-25T10:00:00+08:00`,
    reading: '1000',
    consumption,
    source: 'manual',
    status: 'accepted',
  });
}

/** Moves an account into a new meter book of the given reading cycle. */
async function intoBook(accountId: number, code: string, cycle: 'monthly' | 'bimonthly' | 'quarterly') {
  await new AccountsService(db.knex).createBook({ code, name: `${code} 抄表本`, cycle }, ctx);
  const book = await db.knex('cis.meter_books').where({ code }).first('id');
  await db.knex('cis.accounts').where({ id: accountId }).update({ book_id: book.id, book_seq: 10 });
}

test('a true-up below an estimate is a credit bill: priced down through the annual tiers, posted as a credit that settles the open bill, not announced', async () => {
  const a = await billingAccount(db.knex); // three persons: no per-person extension
  // March, an estimate of 190 m³: water 180 × 345 = 62100 + 10 × 483 = 4830; sewage 190 × 95 = 18050;
  // resource 190 × 20 = 3800 → 88780.
  await addReading(db.knex, a.id, '2026-03', '190');
  const march = await billAndPost('2026-03', '2026-04-02');
  expect(march.notifications).toBe(1);
  expect((await billOf(a.id, '2026-03')).amountFen).toBe(88780);

  // April's reading says the estimate was 15 m³ too high: the year comes back from 190 to 175, through tier 2
  // [180, 190) = 10 m³ and tier 1 [175, 180) = 5 m³; sewage and resource are flat on 15 m³.
  await trueUp(a.id, '2026-04', '-15');
  const april = await billAndPost('2026-04', '2026-05-02');
  const credit = await billOf(a.id, '2026-04');
  expect({ ytd: credit.ytdVolumeBefore, volume: credit.volume, lines: lines(credit) }).toEqual({
    ytd: '190.000',
    volume: '-15.000',
    lines: [
      'water/1: -5.000 × 345 = -1725 (VAT 0)',
      'water/2: -10.000 × 483 = -4830 (VAT 0)',
      'sewage/1: -15.000 × 95 = -1425 (VAT 0)',
      'resource/1: -15.000 × 20 = -300 (VAT 0)',
    ],
  });
  expect(credit.amountFen).toBe(-8280);
  expect(credit.status).toBe('posted');

  // A credit on the ledger (credits > 0), settled at once against March's open bill: 88780 − 8280 = 80500 owed.
  const entry = await db.knex('cis.ledger_entries').where({ bill_id: credit.id, kind: 'bill' }).first();
  expect(Number(entry.amount_fen)).toBe(8280);
  const settled = await db.knex('cis.allocations').where({ credit_entry_id: entry.id });
  expect(settled.map((s) => Number(s.amount_fen))).toEqual([8280]);
  const position = await accountPosition(db.knex, a.id);
  expect({ balance: position.balanceFen, credit: position.creditFen, arrears: position.arrearsFen }).toEqual({
    balance: -80500,
    credit: 0,
    arrears: 80500,
  });
  // A credit note asks nothing of the customer: no payment notification.
  expect(april.notifications).toBe(0);
  expect(await db.knex('cis.notifications').where({ bill_id: credit.id })).toHaveLength(0);

  // May climbs again from 175: 5 m³ left in tier 1, 15 in tier 2 → 1725 + 7245 + 1900 + 400 = 11270.
  await addReading(db.knex, a.id, '2026-05', '20');
  await billAndPost('2026-05', '2026-06-02');
  const may = await billOf(a.id, '2026-05');
  expect(may.ytdVolumeBefore).toBe('175.000');
  expect(may.amountFen).toBe(11270);
});

// A special-industry version from 2026-07-01 with monthly water tiers (0–10, 10–20, above; 3.00 / 4.00 / 5.00 yuan
// incl. 9 % VAT) and sewage at 1.155 yuan (115.5 fen: 厘 precision), no VAT.
async function monthlySpecialTariff() {
  const [special] = await listTariffs(db.knex, 'special');
  await endTariff(db.knex, special.id, '2026-06-30', ctx);
  return createTariff(
    db.knex,
    {
      code: 'SPECIAL-MONTHLY-2026H2',
      name: '特种行业（月阶梯）',
      customerClass: 'special',
      effectiveFrom: '2026-07-01',
      components: [
        {
          code: 'water',
          name: '水费',
          basis: 'monthly',
          waterCharge: true,
          vatRate: '0.09',
          tiers: [
            { upTo: '10', priceFen: 300 },
            { upTo: '20', price: '4.00' },
            { upTo: null, price: '5' },
          ],
        },
        { code: 'sewage', name: '污水处理费', basis: 'flat', price: '1.155' },
      ],
    },
    ctx,
  );
}

test('monthly tiers follow the meter book cycle (× 2 bimonthly, × 3 quarterly); 厘 prices round half-up per line; VAT per line', async () => {
  const tariff = await monthlySpecialTariff();
  expect(tariff.components.map((c) => [c.code, c.vatRate, c.tiers.map((t) => t.priceFen)])).toEqual([
    ['water', '0.0900', [300, 400, 500]],
    ['sewage', '0.0000', [115.5]],
  ]);
  const monthly = await billingAccount(db.knex, { customerClass: 'special' });
  const bimonthly = await billingAccount(db.knex, { customerClass: 'special' });
  const quarterly = await billingAccount(db.knex, { customerClass: 'special' });
  const tiny = await billingAccount(db.knex, { customerClass: 'special' });
  await intoBook(bimonthly.id, 'BI01', 'bimonthly');
  await intoBook(quarterly.id, 'QU01', 'quarterly');
  for (const a of [monthly, bimonthly, quarterly]) await addReading(db.knex, a.id, '2026-07', '30');
  await addReading(db.knex, tiny.id, '2026-07', '0.5');
  await billAndPost('2026-07', '2026-08-02');

  // Sewage: 30 × 115.5 = 3465. VAT of a water line: amount × 0.09 / 1.09, half-up.
  // Monthly bounds 10 / 20: 10 × 300 = 3000 (VAT 247.7 → 248), 10 × 400 = 4000 (330.3 → 330), 10 × 500 = 5000 (412.8 → 413).
  const m = await billOf(monthly.id, '2026-07');
  expect(lines(m)).toEqual([
    'water/1: 10.000 × 300 = 3000 (VAT 248)',
    'water/2: 10.000 × 400 = 4000 (VAT 330)',
    'water/3: 10.000 × 500 = 5000 (VAT 413)',
    'sewage/1: 30.000 × 115.5 = 3465 (VAT 0)',
  ]);
  expect([m.amountFen, m.vatFen]).toEqual([15465, 991]);
  // Bimonthly bounds 20 / 40: 20 × 300 = 6000 (VAT 495.4 → 495), 10 × 400 = 4000 (330).
  const b = await billOf(bimonthly.id, '2026-07');
  expect(lines(b)).toEqual([
    'water/1: 20.000 × 300 = 6000 (VAT 495)',
    'water/2: 10.000 × 400 = 4000 (VAT 330)',
    'sewage/1: 30.000 × 115.5 = 3465 (VAT 0)',
  ]);
  expect([b.amountFen, b.vatFen]).toEqual([13465, 825]);
  // Quarterly bounds 30 / 60: all 30 m³ in the first tier, 9000 (VAT 743.1 → 743).
  const q = await billOf(quarterly.id, '2026-07');
  expect(lines(q)).toEqual(['water/1: 30.000 × 300 = 9000 (VAT 743)', 'sewage/1: 30.000 × 115.5 = 3465 (VAT 0)']);
  expect(q.amountFen).toBe(12465);
  // 0.5 × 300 = 150 (VAT 12.39 → 12); 0.5 × 115.5 = 57.75 → 58.
  const t = await billOf(tiny.id, '2026-07');
  expect(lines(t)).toEqual(['water/1: 0.500 × 300 = 150 (VAT 12)', 'sewage/1: 0.500 × 115.5 = 58 (VAT 0)']);
  expect(t.amountFen).toBe(208);
  const stored = await db.knex('cis.bill_lines').where({ bill_id: t.id }).orderBy('line_no').pluck('price_fen');
  expect(stored).toEqual(['300.0', '115.5']);

  // August: the monthly account's true-up of −15 m³ is priced on the first 15 m³ of the monthly tiers (rounding away
  // from zero, a mirror of the bill): −10 × 300 = −3000 (VAT −247.7 → −248), −5 × 400 = −2000 (VAT −165.1 → −165);
  // sewage −15 × 115.5 = −1732.5 → −1733. The bimonthly one on its doubled first tier: −15 × 300 = −4500
  // (VAT −371.6 → −372).
  await trueUp(monthly.id, '2026-08', '-15');
  await trueUp(bimonthly.id, '2026-08', '-15');
  const aug = await billAndPost('2026-08', '2026-09-02');
  const mc = await billOf(monthly.id, '2026-08');
  expect(lines(mc)).toEqual([
    'water/1: -10.000 × 300 = -3000 (VAT -248)',
    'water/2: -5.000 × 400 = -2000 (VAT -165)',
    'sewage/1: -15.000 × 115.5 = -1733 (VAT 0)',
  ]);
  expect([mc.amountFen, mc.vatFen]).toEqual([-6733, -413]);
  const bc = await billOf(bimonthly.id, '2026-08');
  expect(lines(bc)).toEqual(['water/1: -15.000 × 300 = -4500 (VAT -372)', 'sewage/1: -15.000 × 115.5 = -1733 (VAT 0)']);
  expect(bc.amountFen).toBe(-6233);
  expect(aug.notifications).toBe(0);
});

test('annual bounds prorated by the months of the year an account is open, in the utility time zone, where the tariff says so', async () => {
  // A non-residential version from 2026-09-01: water annual, 100 m³ at 4.00 yuan, above at 6.00; sewage 1.00 flat.
  const [nonres] = await listTariffs(db.knex, 'non_residential');
  await endTariff(db.knex, nonres.id, '2026-08-31', ctx);
  const tariff = await createTariff(
    db.knex,
    {
      code: 'NONRES-PRORATED-2026',
      name: '非居民（年度阶梯按开户月数折算）',
      customerClass: 'non_residential',
      effectiveFrom: '2026-09-01',
      prorateAnnual: true,
      components: [
        {
          code: 'water',
          name: '水费',
          basis: 'annual',
          waterCharge: true,
          tiers: [
            { upTo: '100', priceFen: 400 },
            { upTo: null, priceFen: 600 },
          ],
        },
        { code: 'sewage', name: '污水处理费', basis: 'flat', priceFen: 100 },
      ],
    },
    ctx,
  );
  expect(tariff.prorateAnnual).toBe(true);
  expect((await listTariffs(db.knex, 'residential'))[0].prorateAnnual).toBe(false);

  const opened = await billingAccount(db.knex, { customerClass: 'non_residential' });
  const closed = await billingAccount(db.knex, { customerClass: 'non_residential' });
  const fullYear = await billingAccount(db.knex, { customerClass: 'non_residential' });
  // 2026-05-31 20:00 UTC is 2026-06-01 04:00 in China: open June–December, 7 months.
  await db.knex('cis.accounts').where({ id: opened.id }).update({ opened_at: '2026-05-31T20:00:00Z' });
  // Opened in 2025, closed 2026-09-20 (China): January–September, 9 months.
  await db
    .knex('cis.accounts')
    .where({ id: closed.id })
    .update({ opened_at: '2025-03-01T02:00:00Z', closed_at: '2026-09-20T02:00:00Z' });
  await db.knex('cis.accounts').where({ id: fullYear.id }).update({ opened_at: '2025-03-01T02:00:00Z' });
  for (const a of [opened, closed, fullYear]) await addReading(db.knex, a.id, '2026-09', '100');
  await billAndPost('2026-09', '2026-10-02');

  // 7 months: bound 100 × 7 / 12 = 58.333 m³: 58.333 × 400 = 23333.2 → 23333, 41.667 × 600 = 25000.2 → 25000;
  // sewage 100 × 100 = 10000 → 58333.
  const o = await billOf(opened.id, '2026-09');
  expect(lines(o)).toEqual([
    'water/1: 58.333 × 400 = 23333 (VAT 0)',
    'water/2: 41.667 × 600 = 25000 (VAT 0)',
    'sewage/1: 100.000 × 100 = 10000 (VAT 0)',
  ]);
  expect(o.amountFen).toBe(58333);
  // 9 months: bound 75: 75 × 400 = 30000, 25 × 600 = 15000, sewage 10000 → 55000.
  expect((await billOf(closed.id, '2026-09')).amountFen).toBe(55000);
  // 12 months: the whole 100 m³ in the first tier: 40000 + 10000.
  expect((await billOf(fullYear.id, '2026-09')).amountFen).toBe(50000);
});

test('household size over time: a bill extends its tiers by the size in force on its period’s first day', async () => {
  const h = await billingAccount(db.knex, { householdSize: 4 });
  await addReading(db.knex, h.id, '2026-10', '200');
  await addReading(db.knex, h.id, '2026-11', '100');
  // From November the household has six persons (two above the base of four): recorded now, in force today.
  const change = await recordHouseholdChange(
    db.knex,
    h.accountNo,
    { effectiveFrom: '2026-11-01', persons: 6, documentRef: '户口簿 HK-2026-1101' },
    { actor: 'clerk-test' },
  );
  expect(change).toMatchObject({ effectiveFrom: '2026-11-01', persons: 6, personsBefore: 4, householdSize: 6 });
  expect((await db.knex('cis.accounts').where({ id: h.id }).first()).household_size).toBe(6);
  const audit = await db.knex('cis.audit_log').where({ entity: 'account', action: 'household_changed' });
  expect(audit.map((r) => [r.actor, Number(r.account_id), r.before.householdSize, r.after.persons])).toEqual([
    ['clerk-test', h.id, 4, 6],
  ]);

  // October, before the change: four persons, no extension. 180 × 345 = 62100, 20 × 483 = 9660; sewage 19000;
  // resource 4000 → 94760.
  await billAndPost('2026-10', '2026-11-02');
  const oct = await billOf(h.id, '2026-10');
  expect(oct.amountFen).toBe(94760);
  expect((await db.knex('cis.bills').where({ id: oct.id }).first()).household_size).toBe(4);

  // November, six persons: bounds 180 + 2 × 45 = 270 and 260 + 2 × 65 = 390; from 200 to 300: 70 × 345 = 24150,
  // 30 × 483 = 14490; sewage 9500; resource 2000 → 50140.
  await billAndPost('2026-11', '2026-12-02');
  const nov = await billOf(h.id, '2026-11');
  expect(lines(nov)).toEqual([
    'water/1: 70.000 × 345 = 24150 (VAT 0)',
    'water/2: 30.000 × 483 = 14490 (VAT 0)',
    'sewage/1: 100.000 × 95 = 9500 (VAT 0)',
    'resource/1: 100.000 × 20 = 2000 (VAT 0)',
  ]);
  expect(nov.amountFen).toBe(50140);
  expect((await db.knex('cis.bills').where({ id: nov.id }).first()).household_size).toBe(6);

  // A change from a future date is recorded but the account keeps today's size until then.
  const later = await recordHouseholdChange(
    db.knex,
    h.accountNo,
    { effectiveFrom: '2099-01-01', persons: 5, documentRef: 'HK-2099' },
    { actor: 'clerk-test' },
  );
  expect(later).toMatchObject({ personsBefore: 6, householdSize: 6 });
  expect((await householdChanges(db.knex, h.accountNo)).map((c) => [c.effectiveFrom, c.persons])).toEqual([
    ['2026-11-01', 6],
    ['2099-01-01', 5],
  ]);
  // The history is append-only.
  await expect(db.knex('cis.household_changes').where({ id: later.id }).delete()).rejects.toThrow(/append-only/);
});

test('bad household input is a 422 naming the field and records nothing; an unknown account is a 404', async () => {
  const h = await billingAccount(db.knex);
  const refuse = (input: unknown, accountNo = h.accountNo) =>
    recordHouseholdChange(db.knex, accountNo, input, ctx).catch((e) => e);
  expect(await refuse({ effectiveFrom: '2026-11-01', persons: 0, documentRef: 'HK' })).toMatchObject({
    status: 422,
    field: 'persons',
  });
  expect(await refuse({ effectiveFrom: '2026-11-01', persons: 3 })).toMatchObject({
    status: 422,
    field: 'documentRef',
  });
  expect(await refuse({ effectiveFrom: '2026-13-01', persons: 3, documentRef: 'HK' })).toMatchObject({
    status: 422,
    field: 'effectiveFrom',
  });
  expect(await refuse({ effectiveFrom: '2026-11-01', persons: 3, documentRef: 'HK' }, 'NOPE')).toMatchObject({
    status: 404,
  });
  expect(await db.knex('cis.household_changes').where({ account_id: h.id })).toHaveLength(0);
});

test('tariff prices in yuan take up to 3 decimals (厘); VAT rates are below 1', async () => {
  const [residential] = await listTariffs(db.knex, 'residential');
  await endTariff(db.knex, residential.id, '2039-12-31', ctx);
  const tiers = (t: unknown[], extra: Record<string, unknown> = {}) =>
    createTariff(
      db.knex,
      {
        code: `PRICE-${Math.random()}`,
        name: '价格',
        customerClass: 'residential',
        effectiveFrom: '2040-01-01',
        components: [{ code: 'water', name: '水费', basis: 'annual', tiers: t, ...extra }],
      },
      ctx,
    ).catch((e) => e);
  expect(await tiers([{ upTo: null, price: '3.4555' }])).toMatchObject({
    status: 422,
    field: 'components.0.tiers.0.price',
  });
  expect(await tiers([{ upTo: null, price: '3.45', priceFen: 345 }])).toMatchObject({
    status: 422,
    field: 'components.0.tiers.0.priceFen',
  });
  expect(await tiers([{ upTo: null, price: '3.455' }], { vatRate: '1' })).toMatchObject({
    status: 422,
    field: 'components.0.vatRate',
  });
  const ok = await tiers([{ upTo: null, price: '0.001' }], { vatRate: 0.13 });
  expect(ok.components[0]).toMatchObject({ vatRate: '0.1300', tiers: [{ priceFen: 0.1 }] });
});
