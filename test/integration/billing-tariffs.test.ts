import { DEMO_TARIFFS, seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { getBill } from '../../domain/billing/bills.js';
import { BillingError } from '../../domain/billing/errors.js';
import { createRun } from '../../domain/billing/runs.js';
import { computeRun } from '../../domain/billing/run-compute.js';
import { createTariff, endTariff, listTariffs } from '../../domain/billing/tariffs.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { addReading, billingAccount } from '../support/billing.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  expect(await seedDemoTariffs(db.knex)).toEqual(['RES-2026', 'NONRES-2026', 'SPECIAL-2026']);
  expect(await seedDemoTariffs(db.knex)).toEqual([]); // seeding twice adds nothing
});
afterAll(async () => {
  await db.drop();
});

const ctx = { actor: 'manager' };
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BillingError);
  const e = err as BillingError;
  return { status: e.status, code: e.code, field: e.field };
};

const monthly = {
  code: 'RES-2027',
  name: '居民 2027（月阶梯）',
  customerClass: 'residential',
  effectiveFrom: '2027-01-01',
  householdBase: 0,
  lateFee: { perMillePerDay: '0.5', capPct: '30' },
  components: [
    {
      code: 'water',
      name: '水费',
      basis: 'monthly',
      tiers: [
        { upTo: '15', priceFen: 300 },
        { upTo: null, priceFen: 450 },
      ],
    },
  ],
};

test('the demo residential tariff reads back as data: three annual tiers, per-person growth, late fee', async () => {
  const [res] = await listTariffs(db.knex, 'residential');
  expect(res).toMatchObject({
    code: 'RES-2026',
    effectiveFrom: '2026-01-01',
    effectiveTo: null,
    householdBase: 4,
    lateFee: { perMillePerDay: '1.000', capPct: '100.00' },
  });
  expect(
    res.components.map((c) => `${c.code}:${c.basis}:${c.tiers.map((t) => `${t.upTo}@${t.priceFen}`).join(',')}`),
  ).toEqual(['water:annual:180.000@345,260.000@483,null@1035', 'sewage:flat:null@95', 'resource:flat:null@20']);
});

test('a version overlapping another of its class is refused with 409; after ending the old one it is accepted', async () => {
  expect(await refusal(createTariff(db.knex, monthly, ctx))).toEqual({
    status: 409,
    code: 'overlap',
    field: 'effectiveFrom',
  });
  expect(await refusal(createTariff(db.knex, { ...DEMO_TARIFFS[0], effectiveFrom: '2027-01-01' }, ctx))).toMatchObject({
    status: 409,
    field: 'code',
  });
  const [res] = await listTariffs(db.knex, 'residential');
  await endTariff(db.knex, res.id, '2026-12-31', ctx);
  const created = await createTariff(db.knex, monthly, ctx);
  expect(created).toMatchObject({ code: 'RES-2027', effectiveFrom: '2027-01-01' });
  // A version ending inside the new one overlaps again.
  expect(await refusal(endTariff(db.knex, res.id, '2027-01-01', ctx))).toMatchObject({
    status: 409,
    field: 'effectiveTo',
  });
});

test('bad tariff input: 422 naming the field', async () => {
  const bad = (patch: Record<string, unknown>) =>
    refusal(createTariff(db.knex, { ...monthly, code: 'X', ...patch }, ctx));
  expect(await bad({ customerClass: 'vip' })).toMatchObject({ status: 422, field: 'customerClass' });
  expect(await bad({ effectiveTo: '2026-01-01' })).toMatchObject({ status: 422, field: 'effectiveTo' });
  expect(await bad({ components: [] })).toMatchObject({ status: 422, field: 'components' });
  const tiers = (t: unknown[]) => bad({ components: [{ code: 'water', name: '水费', basis: 'monthly', tiers: t }] });
  expect(await tiers([{ upTo: '15', priceFen: 300 }])).toMatchObject({ field: 'components.0.tiers.0.upTo' });
  expect(
    await tiers([
      { upTo: '15', priceFen: 300 },
      { upTo: '10', priceFen: 300 },
      { upTo: null, priceFen: 1 },
    ]),
  ).toMatchObject({ field: 'components.0.tiers.1.upTo' });
  expect(await tiers([{ upTo: null, priceFen: 2.5 }])).toMatchObject({ field: 'components.0.tiers.0.priceFen' });
  expect(await tiers([{ upTo: '1.2345', priceFen: 1 }])).toMatchObject({ field: 'components.0.tiers.0.upTo' });
  expect(await bad({ lateFee: { perMillePerDay: 'one', capPct: '10' } })).toMatchObject({
    field: 'lateFee.perMillePerDay',
  });
});

test('monthly tiers start at zero every bill, whatever the year billed so far', async () => {
  const a = await billingAccount(db.knex);
  await addReading(db.knex, a.id, '2027-01', '20');
  await addReading(db.knex, a.id, '2027-02', '20');
  for (const period of ['2027-01', '2027-02']) {
    const run = await createRun(db.knex, { period }, ctx);
    await computeRun(db.knex, run.id);
    const row = await db
      .knex('cis.bills')
      .where({ account_id: a.id, period: `${period}-01` })
      .first('id');
    const bill = await getBill(db.knex, Number(row.id));
    expect(bill.lines.map((l) => `${l.tier}:${l.volume}:${l.amountFen}`)).toEqual(['1:15.000:4500', '2:5.000:2250']);
  }
});
