import { residentIdCheckChar } from '../../domain/accounts/id-number.js';
import { BILLING_WORKERS } from '../processes/billing-harness.js';
import { eventually } from '../support/records.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// Issue #17's closing story: one residential household through the twelve monthly bill runs of 2026, told through
// the public HTTP API as its users do it — the reader enters readings, the clerk estimates, corrects and re-bills,
// records the household change, the manager starts the runs (the bill-run process with its job workers), the
// cashier takes payments.
//
// Tariff RES-2026 (db/seeds/billing/demo-tariffs.ts), prices in fen per m³: water on ANNUAL tiers 0–180 at 345,
// 180–260 at 483, above at 1035, the bounds +45/+65 m³ per person above a household base of 4; sewage 95 and
// water-resource fee 20 flat (115 a m³ together; 460 a m³ with water's first tier, 598 with its second). Every line
// is an integer volume × an integer price: no rounding anywhere.
//
// The household is 4 persons (bounds 180/260) until a 户口 change to 6 from 1 August (extra 2: bounds 270/390).
// Meter readings (initial reading 1000), consumption, and the year before each bill:
//
// | month | reading        | m³  | ytd before | amount (fen)                                                    |
// | ----- | -------------- | --- | ---------- | --------------------------------------------------------------- |
// | Jan   | 1030           | 30  | 0          | 30×460 = 13800                                                  |
// | Feb   | 1066           | 36  | 30         | 36×460 = 16560                                                  |
// | Mar   | 1396 held; est | 33  | 66         | estimate 1066 + avg(30, 36) = 1099: 33×460 = 15180              |
// | Apr   | 1093           | −6  | 99         | true-up below the estimate, [93, 99): −6×460 = −2760 (credit)   |
// | May   | 1128           | 35  | 93         | 35×460 = 16100                                                  |
// | Jun   | 1168           | 40  | 128        | 40×460 = 18400                                                  |
// | Jul   | 1198 → 1190    | 22  | 168        | first 30 at 168–198: 12×345 + 18×483 + 30×115 = 16284;          |
// |       |                |     |            | corrected 22 at 168–190: 12×345 + 10×483 + 22×115 = 11500       |
// | Aug   | 1233           | 43  | 190        | 6 persons from here (270/390). First 35 at 198–233: 35×460 =    |
// |       |                |     |            | 16100 (tier 2 at 4 persons); re-billed 43 at 190–233: 19780     |
// | Sep   | 1273 (late)    | 40  | 233        | read after its run: 233–273: 37×345 + 3×483 + 40×115 = 18814    |
// | Oct   | 1318           | 45  | 273        | first on 233–278 (September unbilled): 37×345 + 8×483 + 45×115  |
// |       |                |     |            | = 21804; re-billed on 273–318: 45×483 + 45×115 = 26910          |
// | Nov   | 1356           | 38  | 318        | 38×598 = 22724                                                  |
// | Dec   | 1406           | 50  | 356        | 356–406: 34×483 + 16×1035 + 50×115 = 38732                      |
//
// The year: 406 m³, 215740 fen (water 169050 + flat 406×115 = 46690). Payments: 303.60 (January and February)
// and 2000.00 in December: the ledger ends at 30360 + 200000 − 215740 = +14620 fen of prepaid credit.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
let accountNo = '';

interface Bill {
  id: number;
  period: string;
  status: string;
  volume: string;
  ytdVolumeBefore: string;
  amountFen: number;
  replacesBillId: number | null;
  lines: Array<{ component: string; tier: number; volume: string; priceFen: number; amountFen: number }>;
}

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0, workers: BILLING_WORKERS });
  for (const u of ['clerk', 'manager', 'reader', 'cashier']) s[u] = await t.signIn(u);
  // The household's account, opened at the counter by the clerk: four persons, a meter standing at 1000 m³.
  expect((await s.clerk.call('POST', '/api/customers/books', { code: 'YEAR01', name: '全年计费抄表本' })).status).toBe(
    201,
  );
  const first17 = '11010119800101123';
  const opened = await s.clerk.call('POST', '/api/customers/accounts', {
    customer: {
      kind: 'person',
      idDocType: 'resident_id',
      idDocNumber: first17 + residentIdCheckChar(first17),
      name: '全年户',
      phones: ['13900139001'],
    },
    premise: { district: '城东区', street: '解放路', building: '12栋', room: '301室' },
    customerClass: 'residential',
    householdSize: 4,
    paymentMethod: 'counter',
    book: { code: 'YEAR01' },
    meter: { serial: 'YEAR-0001', installDate: '2025-12-20', initialReading: '1000' },
  });
  expect(opened.status).toBe(201);
  accountNo = opened.body.accountNo as string;
}, 120000);
afterAll(async () => {
  await t?.stop();
});

/** The reader's hand entry of the meter for a month, read on the 25th (China time). */
async function read(period: string, reading: string) {
  const r = await s.reader.call('POST', '/api/metering/readings', {
    accountNo,
    reading,
    period,
    readAt: `${period}-25T09:00:00+08:00`,
  });
  expect(r.status).toBe(201);
  return r.body as { id: number; status: string; consumption: string; billingLate: boolean; failedRule: string };
}

/** The manager starts the month's run; the bill-run process computes, posts and notifies; status done. */
async function run(period: string) {
  const started = await s.manager.call('POST', '/api/billing/runs', { period });
  expect(started.status).toBe(201);
  return eventually(async () => {
    const r = await s.clerk.call('GET', `/api/billing/runs/${started.body.id}`);
    return r.body.status === 'done' ? r.body : undefined;
  }, 30000);
}

async function allBills(): Promise<Bill[]> {
  const r = await s.clerk.call('GET', `/api/billing/accounts/${accountNo}/bills`);
  expect(r.status).toBe(200);
  return r.body.items as Bill[];
}

/** The current (posted) bill of each month, January first. */
async function current(): Promise<Bill[]> {
  return (await allBills()).filter((b) => b.status === 'posted').sort((a, b) => a.period.localeCompare(b.period));
}

async function currentOf(period: string): Promise<Bill> {
  const found = (await current()).filter((b) => b.period === period);
  expect(found).toHaveLength(1);
  return found[0];
}

const summary = (b: Bill) => [b.period, b.volume, b.ytdVolumeBefore, b.amountFen];

async function counter() {
  const r = await s.cashier.call('GET', `/api/payments/accounts/${accountNo}`);
  expect(r.status).toBe(200);
  return r.body as { balanceFen: number; creditFen: number; arrearsFen: number };
}

async function pay(serial: string, amount: string) {
  const r = await s.cashier.call('POST', '/api/payments', {
    serial,
    method: 'cash',
    items: [{ accountNo, amount }],
  });
  expect(r.status).toBe(201);
  return r.body;
}

test('January and February: billed on the first tier; the cashier takes both', async () => {
  expect((await read('2026-01', '1030')).consumption).toBe('30.000');
  expect(await run('2026-01')).toMatchObject({ billsPosted: 1 });
  expect((await read('2026-02', '1066')).consumption).toBe('36.000');
  await run('2026-02');
  // Jan 30 at 0–30: 30×345 + 30×95 + 30×20 = 10350 + 2850 + 600 = 13800; Feb 36 at 30–66: 36×460 = 16560.
  expect((await current()).map(summary)).toEqual([
    ['2026-01', '30.000', '0.000', 13800],
    ['2026-02', '36.000', '30.000', 16560],
  ]);
  expect((await currentOf('2026-01')).lines.map((l) => [l.component, l.tier, l.volume, l.amountFen])).toEqual([
    ['water', 1, '30.000', 10350],
    ['sewage', 1, '30.000', 2850],
    ['resource', 1, '30.000', 600],
  ]);
  // 13800 + 16560 = 30360: exactly what the household owes.
  expect(await counter()).toMatchObject({ arrearsFen: 30360, balanceFen: -30360 });
  const paid = await pay('YEAR-2026-02', '303.60');
  expect(paid.payments).toEqual([
    expect.objectContaining({ amountFen: 30360, creditAfterFen: 0, arrearsCleared: true }),
  ]);
  expect(await counter()).toMatchObject({ arrearsFen: 0, creditFen: 0, balanceFen: 0 });
});

test('March held for review and estimated; April trues it up below the estimate: a credit bill', async () => {
  // The reader types 1396 (330 m³, above 3 × the average of 33): held for the clerk.
  const typo = await read('2026-03', '1396');
  expect(typo).toMatchObject({ status: 'pending', failedRule: 'high_consumption', consumption: '330.000' });
  // The clerk estimates instead: 1066 + the average of the real readings (30 + 36) / 2 = 1099, 33 m³.
  const est = await s.clerk.call('POST', '/api/metering/estimates', { accountNo, period: '2026-03', note: '读数存疑' });
  expect(est).toMatchObject({
    status: 201,
    body: { reading: '1099.000', consumption: '33.000', estimated: true, source: 'estimate', status: 'accepted' },
  });
  expect((await s.clerk.call('GET', `/api/metering/readings/${typo.id}`)).body).toMatchObject({ status: 'rejected' });
  await run('2026-03');
  // Mar 33 at 66–99: 33×460 = 15180.
  expect(summary(await currentOf('2026-03'))).toEqual(['2026-03', '33.000', '66.000', 15180]);

  // April's real reading, 1093, is below the estimate (not below February's 1066): −6 m³, accepted.
  expect(await read('2026-04', '1093')).toMatchObject({ status: 'accepted', consumption: '-6.000' });
  await run('2026-04');
  // Apr −6 on [93, 99), down through the first tier: −6×345 − 6×95 − 6×20 = −2070 − 570 − 120 = −2760.
  const april = await currentOf('2026-04');
  expect(summary(april)).toEqual(['2026-04', '-6.000', '99.000', -2760]);
  expect(april.lines.map((l) => [l.component, l.volume, l.amountFen])).toEqual([
    ['water', '-6.000', -2070],
    ['sewage', '-6.000', -570],
    ['resource', '-6.000', -120],
  ]);
  // The credit settles March at once: 15180 − 2760 = 12420 still owed.
  expect(await counter()).toMatchObject({ arrearsFen: 12420, creditFen: 0, balanceFen: -12420 });
});

test('May to July on the first tiers; the household grows to 6 persons from 1 August', async () => {
  await read('2026-05', '1128');
  await run('2026-05');
  await read('2026-06', '1168');
  await run('2026-06');
  await read('2026-07', '1198');
  await run('2026-07');
  // May 35 at 93–128: 16100; Jun 40 at 128–168: 18400; Jul 30 at 168–198, crossing 180:
  // 12×345 + 18×483 + 30×115 = 4140 + 8694 + 3450 = 16284.
  expect((await current()).slice(4).map(summary)).toEqual([
    ['2026-05', '35.000', '93.000', 16100],
    ['2026-06', '40.000', '128.000', 18400],
    ['2026-07', '30.000', '168.000', 16284],
  ]);
  const july = await currentOf('2026-07');
  expect(july.lines.filter((l) => l.component === 'water').map((l) => [l.tier, l.volume, l.amountFen])).toEqual([
    [1, '12.000', 4140],
    [2, '18.000', 8694],
  ]);

  const change = await s.clerk.call('POST', `/api/billing/accounts/${accountNo}/household`, {
    effectiveFrom: '2026-08-01',
    persons: 6,
    documentRef: '户口簿 增员2人',
  });
  expect(change).toMatchObject({ status: 201, body: { effectiveFrom: '2026-08-01', persons: 6, personsBefore: 4 } });
  await read('2026-08', '1233');
  await run('2026-08');
  // Aug 35 at 198–233 with 6 persons: the first bound moved to 180 + 2×45 = 270, so all on the first tier
  // again: 35×460 = 16100 (at 4 persons it would have been 35×598).
  expect(summary(await currentOf('2026-08'))).toEqual(['2026-08', '35.000', '198.000', 16100]);
});

test("July's reading corrected after the August run: re-billed with August, previewed, one notification", async () => {
  const [july] = (
    (await s.clerk.call('GET', `/api/metering/accounts/${accountNo}/readings`)).body.items as Array<{
      id: number;
      period: string;
      status: string;
    }>
  ).filter((r) => r.period === '2026-07-01' && r.status === 'accepted');
  const julyBill = await currentOf('2026-07');
  const augustBill = await currentOf('2026-08');
  // The meter stood at 1190 on 25 July, not 1198: July 22 m³, August (from 1190 to 1233) 43 m³.
  const corrected = await s.clerk.call('POST', `/api/metering/readings/${july.id}/correction`, {
    reading: '1190',
    reason: '七月读数抄错',
  });
  expect(corrected).toMatchObject({
    status: 200,
    body: {
      status: 'applied',
      volumeDifference: '-8.000',
      after: { reading: '1190.000', consumption: '22.000' },
      next: { after: { consumption: '43.000' }, billed: true, billId: augustBill.id },
      billed: true,
      billId: julyBill.id,
    },
  });

  // Jul 22 at 168–190 (4 persons): 12×345 + 10×483 + 22×115 = 4140 + 4830 + 2530 = 11500 (−4784);
  // Aug 43 at 190–233 (6 persons, first tier to 270): 43×460 = 19780 (+3680). Together −1104.
  const preview = await s.clerk.call('POST', `/api/billing/bills/${julyBill.id}/rebill/preview`, {
    reason: '七月读数更正',
  });
  expect(preview.status).toBe(200);
  expect(
    (preview.body.bills as Array<Record<string, unknown>>).map((b) => [
      b.period,
      b.oldAmountFen,
      b.newAmountFen,
      b.differenceFen,
      b.newYtdVolumeBefore,
      b.cascaded,
    ]),
  ).toEqual([
    ['2026-07', 16284, 11500, -4784, '168.000', false],
    ['2026-08', 16100, 19780, 3680, '190.000', true],
  ]);
  expect(preview.body.totalDifferenceFen).toBe(-1104);
  // The preview wrote nothing: the bills stand as they were.
  expect((await current()).slice(6).map((b) => b.id)).toEqual([julyBill.id, augustBill.id]);

  const rebilled = await s.clerk.call('POST', `/api/billing/bills/${julyBill.id}/rebill`, {
    reason: '七月读数更正',
    previewHash: preview.body.previewHash,
  });
  expect(rebilled).toMatchObject({
    status: 201,
    body: { period: '2026-07', amountFen: 11500, replacesBillId: julyBill.id, totalDifferenceFen: -1104 },
  });
  expect((await current()).slice(6).map(summary)).toEqual([
    ['2026-07', '22.000', '168.000', 11500],
    ['2026-08', '43.000', '190.000', 19780],
  ]);
  const replaced = (await allBills()).filter((b) => [julyBill.id, augustBill.id].includes(b.id));
  expect(replaced.map((b) => b.status)).toEqual(['reversed', 'reversed']);
});

test('September read after its run: the October run bills it and re-bills October on it', async () => {
  const september = await run('2026-09');
  expect(september).toMatchObject({ total: 0, billsPosted: 0 });
  // The reader comes back late: the reading of 25 September is recorded after September's run, and says so.
  const late = await read('2026-09', '1273');
  expect(late).toMatchObject({ status: 'accepted', consumption: '40.000', billingLate: true });
  expect((await current()).map((b) => b.period)).not.toContain('2026-09');

  await read('2026-10', '1318');
  await run('2026-10');
  // Sep 40 at 233–273 (bounds 270/390): 37×345 + 3×483 + 40×115 = 12765 + 1449 + 4600 = 18814.
  // Oct 45 was first computed at 233–278, without September: 37×345 + 8×483 + 45×115 = 21804; re-billed on
  // 273–318, all second tier: 45×483 + 45×115 = 21735 + 5175 = 26910.
  expect((await current()).slice(8).map(summary)).toEqual([
    ['2026-09', '40.000', '233.000', 18814],
    ['2026-10', '45.000', '273.000', 26910],
  ]);
  const october = (await allBills()).filter((b) => b.period === '2026-10');
  expect(october.map((b) => [b.status, b.amountFen, b.ytdVolumeBefore])).toEqual([
    ['posted', 26910, '273.000'],
    ['reversed', 21804, '233.000'],
  ]);
  expect((await s.clerk.call('GET', `/api/metering/readings/${late.id}`)).body).toMatchObject({ billingLate: false });
});

test('November and December; the year closes with a payment and a ledger that adds up', async () => {
  await read('2026-11', '1356');
  await run('2026-11');
  await read('2026-12', '1406');
  await run('2026-12');
  // Nov 38 at 318–356: 38×598 = 22724; Dec 50 at 356–406, crossing 390 (260 + 2×65):
  // 34×483 + 16×1035 + 50×115 = 16422 + 16560 + 5750 = 38732.
  const year = await current();
  expect(year.map(summary)).toEqual([
    ['2026-01', '30.000', '0.000', 13800],
    ['2026-02', '36.000', '30.000', 16560],
    ['2026-03', '33.000', '66.000', 15180],
    ['2026-04', '-6.000', '99.000', -2760],
    ['2026-05', '35.000', '93.000', 16100],
    ['2026-06', '40.000', '128.000', 18400],
    ['2026-07', '22.000', '168.000', 11500],
    ['2026-08', '43.000', '190.000', 19780],
    ['2026-09', '40.000', '233.000', 18814],
    ['2026-10', '45.000', '273.000', 26910],
    ['2026-11', '38.000', '318.000', 22724],
    ['2026-12', '50.000', '356.000', 38732],
  ]);
  const december = year[11];
  expect(december.lines.filter((l) => l.component === 'water').map((l) => [l.tier, l.volume, l.amountFen])).toEqual([
    [2, '34.000', 16422],
    [3, '16.000', 16560],
  ]);
  const total = year.reduce((sum, b) => sum + b.amountFen, 0);
  expect(total).toBe(215740);

  // Owed: the year 215740 − 30360 paid = 185380. The household pays 2000.00: 14620 stays as prepaid credit.
  expect(await counter()).toMatchObject({ arrearsFen: 185380, creditFen: 0, balanceFen: -185380 });
  await pay('YEAR-2026-12', '2000.00');
  expect(await counter()).toMatchObject({ arrearsFen: 0, creditFen: 14620, balanceFen: 14620 });

  // The ledger, entry by entry: payments − bills to the fen, the three replaced bills and their reversals kept.
  const account = await t.db.knex('cis.accounts').where({ account_no: accountNo }).first('id');
  const entries = await t.db.knex('cis.ledger_entries').where({ account_id: account.id }).orderBy('id');
  const sum = (kind: string) => entries.filter((e) => e.kind === kind).reduce((a, e) => a + Number(e.amount_fen), 0);
  expect(sum('payment')).toBe(30360 + 200000);
  expect(entries.filter((e) => e.kind === 'bill_reversal').map((e) => Number(e.amount_fen))).toEqual([
    16284, 16100, 21804,
  ]);
  // Bills: the year's 215740 plus the three replaced ones (16284 + 16100 + 21804 = 54188) charged and reversed.
  expect(sum('bill')).toBe(-(215740 + 54188));
  expect(entries.reduce((a, e) => a + Number(e.amount_fen), 0)).toBe(30360 + 200000 - 215740);
  expect(entries.filter((e) => !['payment', 'bill', 'bill_reversal'].includes(e.kind))).toEqual([]);

  // Notifications: one per bill that asks for money (not April's credit), one per correction — July's re-bill with
  // August as one `bills_corrected`, October re-billed after the late September as one `bill_reissued`.
  const notes = await t.db.knex('cis.notifications').where({ account_id: account.id }).orderBy('id');
  expect(notes.map((n) => [n.kind, n.payload.period ?? null])).toEqual([
    ['bill_issued', '2026-01'],
    ['bill_issued', '2026-02'],
    ['bill_issued', '2026-03'],
    ['bill_issued', '2026-05'],
    ['bill_issued', '2026-06'],
    ['bill_issued', '2026-07'],
    ['bill_issued', '2026-08'],
    ['bills_corrected', null],
    ['bill_issued', '2026-09'],
    ['bill_reissued', '2026-10'],
    ['bill_issued', '2026-11'],
    ['bill_issued', '2026-12'],
  ]);
  expect(notes[7].payload).toMatchObject({
    totalDifferenceFen: -1104,
    bills: [
      { period: '2026-07', oldAmountFen: 16284, newAmountFen: 11500 },
      { period: '2026-08', oldAmountFen: 16100, newAmountFen: 19780 },
    ],
  });
  expect(notes[9].payload).toMatchObject({ amountFen: 26910 });
  expect(notes.every((n) => n.channel === 'sms' && n.recipient === '13900139001')).toBe(true);
});
