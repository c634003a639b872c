import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { createRun, getRun } from '../../domain/billing/runs.js';
import { computeRun } from '../../domain/billing/run-compute.js';
import { addReading, billingAccount } from '../support/billing.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

// Prepaid (IC-card) accounts pay by card purchase: the bill run leaves them unbilled (issue #17). Demo
// residential tariff: 345 (first annual tier) + 95 + 20 = 460 fen per m³.
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await seedDemoTariffs(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

const ctx = { actor: 'test' };

test('prepaid (IC-card) accounts are skipped by the bill run, counted, their readings kept', async () => {
  const card = await billingAccount(db.knex);
  const counter = await billingAccount(db.knex);
  await db.knex('cis.accounts').where({ id: card.id }).update({ payment_method: 'prepaid_card' });
  const cardReading = await addReading(db.knex, card.id, '2026-05', '12');
  await addReading(db.knex, counter.id, '2026-05', '10'); // 10 × 460 = 4600 fen
  const run = await createRun(db.knex, { period: '2026-05' }, ctx);
  // Two accounts with readings, both done; one billed, one skipped as prepaid, none without a tariff.
  expect(await computeRun(db.knex, run.id)).toMatchObject({ total: 2, withoutTariff: 0, skippedPrepaid: 1 });
  expect(await getRun(db.knex, run.id)).toMatchObject({ done: 2, total: 2, skippedPrepaid: 1 });
  const bills = await db.knex('cis.bills').where({ run_id: run.id });
  expect(bills.map((b) => [Number(b.account_id), Number(b.amount_fen)])).toEqual([[counter.id, 4600]]);
  expect(await db.knex('cis.readings').where({ id: cardReading }).first('status', 'consumption')).toEqual({
    status: 'accepted',
    consumption: '12.000',
  });
  // Computing again (a redelivered job) bills nothing more and counts the same.
  expect(await computeRun(db.knex, run.id)).toMatchObject({ skippedPrepaid: 1 });
  expect(await db.knex('cis.bills').where({ account_id: card.id })).toHaveLength(0);
});
