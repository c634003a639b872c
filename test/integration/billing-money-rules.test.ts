import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { createRun } from '../../domain/billing/runs.js';
import { computeRun } from '../../domain/billing/run-compute.js';
import { finishRun, postRun } from '../../domain/billing/run-post.js';
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
