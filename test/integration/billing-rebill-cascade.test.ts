import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { computeChunk } from '../../domain/billing/compute-sql.js';
import { postBills } from '../../domain/billing/posting.js';
import { BillingService } from '../../domain/billing/service.js';
import { readingById } from '../../domain/metering/view.js';
import { addReading, billingAccount } from '../support/billing.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

// A re-bill of an early month re-bills the later months of the tier year whose place on the tiers changed, in one
// operation previewed first, with one notification. Tariff RES-2026 (demo): water on annual tiers 0–180 m³ at
// 3.45, 180–260 at 4.83, above at 10.35; sewage 0.95 and resource fee 0.20 flat; household of 3 (no extension).
let db: TestDatabase;
let billing: BillingService;
const clerk = { actor: 'clerk' };

beforeAll(async () => {
  db = await freshDatabase();
  await seedDemoTariffs(db.knex);
  billing = new BillingService(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

async function runMonth(period: string) {
  const run = await billing.createRun({ period }, { actor: 'manager' });
  await billing.computeRun(run.id);
  await billing.postRun(run.id, [], `${period}-28`, { actor: 'manager' });
  await billing.finishRun(run.id); // the run's notices
}

const bills = (accountId: number) =>
  db
    .knex('cis.bills')
    .where({ account_id: accountId })
    .whereNotIn('status', ['reversed', 'rejected'])
    .orderBy('period')
    .select('id', 'status', 'amount_fen', 'ytd_volume_before');

test('January corrected from 100 to 70 m³: February–April re-billed on the corrected year, previewed, one notification', async () => {
  const a = await billingAccount(db.knex);
  const jan = await addReading(db.knex, a.id, '2026-01', '100');
  await runMonth('2026-01');
  await addReading(db.knex, a.id, '2026-02', '60');
  await runMonth('2026-02');
  await addReading(db.knex, a.id, '2026-03', '50');
  await runMonth('2026-03');
  await addReading(db.knex, a.id, '2026-04', '40');
  await runMonth('2026-04');
  // Jan 100: 100×(345+95+20) = 46000; Feb 60 at 100–160: 27600; Mar 50 at 160–210: 20×345 + 30×483 + 50×115 =
  // 27140; Apr 40 at 210–250: 40×483 + 40×115 = 23920.
  const before = await bills(a.id);
  expect(before.map((b) => Number(b.amount_fen))).toEqual([46000, 27600, 27140, 23920]);
  const janBill = Number(before[0].id);

  await db.knex('cis.readings').where({ id: jan }).update({ status: 'superseded' });
  await addReading(db.knex, a.id, '2026-01', '70');

  // Preview: Jan 70 → 32200 (−13800); Feb at 70–130: 27600, moved (ytd 100 → 70); Mar at 130–180: 50×460 = 23000
  // (−4140); Apr at 180–220: 23920, moved (ytd 210 → 180). Nothing is written.
  const counts = async () => ({
    bills: Number((await db.knex('cis.bills').count({ n: '*' }).first())!.n),
    entries: Number((await db.knex('cis.ledger_entries').count({ n: '*' }).first())!.n),
    notes: Number((await db.knex('cis.notifications').count({ n: '*' }).first())!.n),
  });
  const unchanged = await counts();
  const preview = await billing.previewRebill(janBill, { reason: '一月读数抄错' }, '2026-05-06', clerk);
  expect(await counts()).toEqual(unchanged);
  expect(preview.bills.map((b) => [b.period, b.oldAmountFen, b.newAmountFen, b.differenceFen, b.cascaded])).toEqual([
    ['2026-01', 46000, 32200, -13800, false],
    ['2026-02', 27600, 27600, 0, true],
    ['2026-03', 27140, 23000, -4140, true],
    ['2026-04', 23920, 23920, 0, true],
  ]);
  expect(preview.bills.map((b) => [b.oldYtdVolumeBefore, b.newYtdVolumeBefore])).toEqual([
    ['0.000', '0.000'],
    ['100.000', '70.000'],
    ['160.000', '130.000'],
    ['210.000', '180.000'],
  ]);
  expect(preview.totalDifferenceFen).toBe(-17940);

  // The readings change after the preview: confirming that preview is refused, nothing posts.
  const feb2 = await addReading(db.knex, a.id, '2026-02', '1');
  const stale = await billing
    .rebill(janBill, { reason: '一月读数抄错', previewHash: preview.previewHash }, '2026-05-06', clerk)
    .catch((e: unknown) => e);
  expect(stale).toMatchObject({ status: 409, code: 'preview_stale', field: 'previewHash' });
  expect(await counts()).toEqual(unchanged);
  await db.knex('cis.readings').where({ id: feb2 }).delete();

  const done = await billing.rebill(
    janBill,
    { reason: '一月读数抄错', previewHash: preview.previewHash },
    '2026-05-06',
    clerk,
  );
  expect(done).toMatchObject({ period: '2026-01', amountFen: 32200, replacesBillId: janBill, status: 'posted' });
  expect(done.totalDifferenceFen).toBe(-17940);
  const after = await bills(a.id);
  expect(after.map((b) => [b.status, Number(b.amount_fen), b.ytd_volume_before])).toEqual([
    ['posted', 32200, '0.000'],
    ['posted', 27600, '70.000'],
    ['posted', 23000, '130.000'],
    ['posted', 23920, '180.000'],
  ]);
  // Both entries of each month stay; the ledger sums to the corrected year.
  const ledger = await db.knex('cis.ledger_entries').where({ account_id: a.id }).sum({ fen: 'amount_fen' }).first();
  expect(Number(ledger!.fen)).toBe(-(32200 + 27600 + 23000 + 23920));
  const reversals = await db.knex('cis.ledger_entries').where({ account_id: a.id, kind: 'bill_reversal' });
  expect(reversals).toHaveLength(4);
  // One message for the correction, listing the months (the four runs' own notices came before it).
  const notes = await db.knex('cis.notifications').where({ account_id: a.id }).orderBy('id');
  expect(notes.map((n) => n.kind)).toEqual([
    'bill_issued',
    'bill_issued',
    'bill_issued',
    'bill_issued',
    'bills_corrected',
  ]);
  expect(notes[4].payload).toMatchObject({
    totalDifferenceFen: -17940,
    bills: [
      { period: '2026-01', oldAmountFen: 46000, newAmountFen: 32200 },
      { period: '2026-02', oldAmountFen: 27600, newAmountFen: 27600 },
      { period: '2026-03', oldAmountFen: 27140, newAmountFen: 23000 },
      { period: '2026-04', oldAmountFen: 23920, newAmountFen: 23920 },
    ],
  });
});

test('a later month whose place on the tiers did not change stands', async () => {
  const a = await billingAccount(db.knex);
  await addReading(db.knex, a.id, '2026-05', '10');
  await runMonth('2026-05');
  await addReading(db.knex, a.id, '2026-06', '10');
  await runMonth('2026-06');
  const [may, june] = await bills(a.id);
  // May re-billed with its readings as they are: June's year-to-date (10) is unchanged, so June stands.
  const done = await billing.rebill(Number(may.id), { reason: '复核' }, '2026-07-01', clerk);
  expect(done.rebilled.map((b) => b.period)).toEqual(['2026-05']);
  expect((await bills(a.id)).map((b) => Number(b.id))).toEqual([done.id, Number(june.id)]);
  // One bill alone is announced as a re-issued bill.
  const notes = await db.knex('cis.notifications').where({ account_id: a.id }).orderBy('id');
  expect(notes.map((n) => n.kind)).toEqual(['bill_issued', 'bill_issued', 'bill_reissued']);
});

test('late readings are billed by the next run: a period without a bill gets one, a billed period is re-billed with its year', async () => {
  // Own periods (2026-09/10) so the runs of the other stories do not meet these accounts.
  const a = await billingAccount(db.knex);
  const b = await billingAccount(db.knex);
  await addReading(db.knex, a.id, '2026-09', '100');
  await runMonth('2026-09'); // A: 100 × 460 = 46000; B has no September reading yet
  const lateA = await addReading(db.knex, a.id, '2026-09', '90'); // a second meter's reading, late
  const lateB = await addReading(db.knex, b.id, '2026-09', '30');
  const marks = await db.knex('cis.readings').whereIn('id', [lateA, lateB]).pluck('billing_late');
  expect(marks).toEqual([true, true]);
  // what the readings screen shows beside the reading (the warning)
  expect(await readingById(db.knex, lateB)).toMatchObject({ period: '2026-09-01', billingLate: true });
  await addReading(db.knex, a.id, '2026-10', '20');
  await addReading(db.knex, b.id, '2026-10', '10');
  await runMonth('2026-10');

  // A: September 190 m³ → 180 × 345 + 10 × 483 + 190 × 115 = 88780; October on 190–210: 20 × (483 + 115) = 11960.
  expect((await bills(a.id)).map((x) => [Number(x.amount_fen), x.ytd_volume_before])).toEqual([
    [88780, '0.000'],
    [11960, '190.000'],
  ]);
  // B: September 30 × 460 = 13800 billed late; October re-billed on 30–40 (same price, its place moved).
  expect((await bills(b.id)).map((x) => [Number(x.amount_fen), x.ytd_volume_before])).toEqual([
    [13800, '0.000'],
    [4600, '30.000'],
  ]);
  const ledger = async (id: number) =>
    Number((await db.knex('cis.ledger_entries').where({ account_id: id }).sum({ fen: 'amount_fen' }).first())!.fen);
  expect(await ledger(a.id)).toBe(-(88780 + 11960));
  expect(await ledger(b.id)).toBe(-(13800 + 4600));
  expect(await db.knex('cis.readings').where({ billing_late: true }).whereIn('account_id', [a.id, b.id])).toEqual([]);

  // The run's post step repeated (a redelivered job): nothing more is billed.
  const run = await db.knex('cis.bill_runs').where({ period: '2026-10-01' }).first('id');
  const again = await billing.postRun(Number(run.id), [], '2026-10-28', { actor: 'manager' });
  expect(again.caughtUp).toEqual([]);
  expect(await ledger(a.id)).toBe(-(88780 + 11960));
});

test('a bill outside any run (a final bill) is re-billed like any other', async () => {
  const a = await billingAccount(db.knex);
  const reading = await addReading(db.knex, a.id, '2026-11', '10');
  await db.knex.transaction(async (trx) => {
    await computeChunk(trx, { runId: null, period: '2026-11-01', lo: a.id, hi: a.id, reviewThresholdFen: null });
    const bill = await trx('cis.bills').where({ account_id: a.id }).first('id');
    await postBills(trx, { billId: Number(bill.id) }, '2026-11-28');
  });
  const [final] = await bills(a.id);
  expect(Number(final.amount_fen)).toBe(10 * 460);
  await db.knex('cis.readings').where({ id: reading }).update({ reading: '12', consumption: '12' });
  const done = await billing.rebill(Number(final.id), { reason: '终抄更正' }, '2026-12-01', clerk);
  expect(done).toMatchObject({ runId: null, amountFen: 12 * 460, replacesBillId: Number(final.id) });
});

test('a credit bill reversed by a re-bill: the credit entry and its reversal settle each other', async () => {
  const a = await billingAccount(db.knex);
  await addReading(db.knex, a.id, '2026-07', '100');
  await runMonth('2026-07');
  const trueUp = await addReading(db.knex, a.id, '2026-08', '0');
  // an estimate in July was 10 m³ too high: August's real reading trues it up below
  await db.knex('cis.readings').where({ id: trueUp }).update({ reading: '90', consumption: '-10' });
  await runMonth('2026-08');
  const [, credit] = await bills(a.id);
  expect(Number(credit.amount_fen)).toBe(-10 * 460); // priced on 90–100 m³ of the year, tier 1
  await db.knex('cis.readings').where({ id: trueUp }).update({ reading: '88', consumption: '-12' });
  await billing.rebill(Number(credit.id), { reason: '核减更正' }, '2026-09-01', clerk);
  const entries = await db.knex('cis.ledger_entries').where({ bill_id: credit.id }).select('id', 'kind', 'amount_fen');
  const entry = entries.find((e) => e.kind === 'bill')!;
  const reversal = entries.find((e) => e.kind === 'bill_reversal')!;
  expect([Number(entry.amount_fen), Number(reversal.amount_fen)]).toEqual([4600, -4600]);
  const pair = await db
    .knex('cis.allocations')
    .where({ credit_entry_id: entry.id, debit_entry_id: reversal.id })
    .sum({ fen: 'amount_fen' })
    .first();
  expect(Number(pair!.fen)).toBe(4600);
  // July 46000 owed, less the new credit of 12 m³ (5520): the account owes 40480, nothing else open.
  const { accountPosition } = await import('../../domain/ledger/service.js');
  const position = await accountPosition(db.knex, a.id);
  expect(position).toMatchObject({ arrearsFen: 46000 - 5520, creditFen: 0 });
  expect(position.debts.map((d) => d.kind)).toEqual(['bill']);
});
