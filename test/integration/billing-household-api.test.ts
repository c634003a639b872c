import { billingAccount } from '../support/billing.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// /api/billing/accounts/:accountNo/household through the running app: billing clerks record a household size
// change (户口) with its document; billing readers see the history; bad input is a problem naming the field.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
const ROLES = ['clerk', 'cashier', 'reader', 'manager', 'auditor', 'admin'];

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0 });
  for (const u of ROLES) s[u] = await t.signIn(u);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

test('billing clerks record a household change, billing readers list it, others get 403', async () => {
  const a = await billingAccount(t.db.knex, { householdSize: 3 });
  const path = `/api/billing/accounts/${a.accountNo}/household`;
  const body = { effectiveFrom: '2026-01-01', persons: 5, documentRef: '户口簿 第3页' };
  for (const role of ['cashier', 'reader', 'auditor'])
    expect([role, (await s[role].call('POST', path, body)).status]).toEqual([role, 403]);
  expect(await t.db.knex('cis.household_changes').where({ account_id: a.id })).toHaveLength(0);

  const created = await s.clerk.call('POST', path, body);
  expect(created).toMatchObject({
    status: 201,
    body: { accountNo: a.accountNo, effectiveFrom: '2026-01-01', persons: 5, personsBefore: 3, householdSize: 5 },
  });
  expect((await t.db.knex('cis.accounts').where({ id: a.id }).first()).household_size).toBe(5);

  for (const role of ['clerk', 'cashier', 'manager', 'auditor', 'admin']) {
    const list = await s[role].call('GET', path);
    expect([role, list.status, (list.body.items as unknown[]).length]).toEqual([role, 200, 1]);
  }
  expect((await s.reader.call('GET', path)).status).toBe(403);
});

test('bad input: 422 naming the field, nothing recorded; an unknown account: 404', async () => {
  const a = await billingAccount(t.db.knex);
  const path = `/api/billing/accounts/${a.accountNo}/household`;
  const bad = await s.clerk.call('POST', path, { effectiveFrom: '2026-01-01', persons: 100, documentRef: 'HK' });
  expect(bad).toMatchObject({ status: 422, body: { field: 'persons' } });
  const noDoc = await s.clerk.call('POST', path, { effectiveFrom: '2026-01-01', persons: 2, documentRef: ' ' });
  expect(noDoc).toMatchObject({ status: 422, body: { field: 'documentRef' } });
  const unknown = await s.clerk.call('POST', '/api/billing/accounts/NOPE/household', {
    effectiveFrom: '2026-01-01',
    persons: 2,
    documentRef: 'HK',
  });
  expect(unknown.status).toBe(404);
  expect(await t.db.knex('cis.household_changes').where({ account_id: a.id })).toHaveLength(0);
});
