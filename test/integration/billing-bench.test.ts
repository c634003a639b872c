import { runScenario } from '../../bench/runner.js';
import { scenarios } from '../../bench/scenarios/index.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

test('bill-run at a small size: the DESIGN §7 line, and the per-account peer bills the same amounts to the fen', async () => {
  const progress: string[] = [];
  const line = await runScenario('bill-run', scenarios['bill-run'], db.url, 300, (m) => progress.push(m));
  expect(line).toMatchObject({
    scenario: 'bill-run',
    size: 300,
    metric: 'bill_run_time',
    unit: 's',
    baseline: { metric: 'bill_run_time', unit: 's' },
  });
  // Times only as numbers: at 300 accounts the run may round to 0.0 s, and timings are never asserted.
  expect(typeof line.value).toBe('number');
  expect(typeof line.baseline.value).toBe('number');
  const log = progress.join('\n');
  expect(log).toContain('sample bills agree with the peer');
  expect(log).not.toMatch(/WARNING/);
  // Every post-paid account has a December bill (prepaid IC-card ones are not billed: 2 in 10 demo accounts
  // have an IC-card meter, so 240 of 300), and the annual tiers started from the eleven earlier bills.
  const postPaid = await db.knex('cis.accounts').whereNot({ payment_method: 'prepaid_card' }).count('* as n').first();
  expect(Number(postPaid!.n)).toBe(240);
  expect(Number((await db.knex('cis.bills').where({ period: '2026-12-01' }).count('* as n').first())!.n)).toBe(240);
  const climbed = await db.knex('cis.bill_lines').where('tier', '>', 1).count('* as n').first();
  expect(Number(climbed!.n)).toBeGreaterThan(0);
}, 180000);
