import { freshDatabase, type TestDatabase } from '../support/db.js';
import { customerSearch, naiveSearch, sampleQueries } from '../../bench/scenarios/customer-search.js';
import { searchAccounts } from '../../domain/accounts/search.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

test('the customer-search scenario generates its data and reports p95 against the naive peer (no timing asserted)', async () => {
  const lines: string[] = [];
  const r = await customerSearch.run({ databaseUrl: db.url, knex: db.knex, size: 400, progress: (m) => lines.push(m) });
  expect(r).toMatchObject({
    metric: 'p95_latency',
    unit: 'ms',
    better: 'lower',
    baseline: { metric: 'p95_latency', unit: 'ms' },
  });
  expect(r.value).toBeGreaterThan(0);
  expect(r.baseline.value).toBeGreaterThan(0);
  expect(Number((await db.knex('cis.accounts').count('* as n').first())!.n)).toBe(400);
  expect(lines.join('\n')).not.toMatch(/WARNING/);
});

test('every sampled query finds accounts with our search, and the naive peer agrees on an exact number', async () => {
  const queries = await sampleQueries(db.knex, 5, 3);
  expect(new Set(queries.map((q) => q.kind)).size).toBe(5);
  for (const q of queries) expect((await searchAccounts(db.knex, q.q, 100)).length).toBeGreaterThan(0);
  const [anAccount] = await db.knex('cis.accounts').orderBy('id').limit(1).pluck('account_no');
  expect((await naiveSearch(db.knex, anAccount))[0]).toBe(anAccount);
  expect((await searchAccounts(db.knex, anAccount))[0].accountNo).toBe(anAccount);
});
