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

test('payment-post at a small size: the DESIGN §7 line, and every check passes (no timing asserted)', async () => {
  const progress: string[] = [];
  const line = await runScenario('payment-post', scenarios['payment-post'], db.url, 200, (m) => progress.push(m));
  expect(line).toMatchObject({
    scenario: 'payment-post',
    size: 200,
    metric: 'payments_per_second',
    unit: 'payments/s',
    baseline: { metric: 'payments_per_second', unit: 'payments/s' },
  });
  expect(typeof line.value).toBe('number');
  expect(typeof line.baseline.value).toBe('number');
  const log = progress.join('\n');
  // The scenario throws when a check fails; these say each one ran.
  expect(log).toMatch(/check passed: PB\w+: 200 payments for 200 serials/);
  expect(log).toMatch(/check passed: PEERPB\w+: 200 payments for 200 serials/);
  expect(log).toContain('check passed: sum(ledger) = open credits − open debts');
  expect(log).toContain('allocations exceeds its entries');
  expect(log).toContain('check passed: none of the 40 paid accounts holds open credit and open debt at once');
  expect(log).toMatch(/20 resubmissions answered replayed/);
  // Every payment went through the app once: 200 measured + warm-up, resubmissions posted nothing.
  const { rows } = await db.knex.raw(
    `SELECT count(*)::int AS n FROM cis.payments WHERE cashier LIKE 'bench-cashier-%'`,
  );
  expect(rows[0].n).toBe(400);
}, 300000);
