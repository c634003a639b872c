import { BILLING_WORKERS } from '../processes/billing-harness.js';
import { addReading, billingAccount } from '../support/billing.js';
import { eventually } from '../support/records.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// /api/billing through the running app: roles on every route, a run started by a manager through the
// process (billing workers in-process), progress, one run per period, bad input as problem documents.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
const ROLES = ['clerk', 'cashier', 'reader', 'manager', 'auditor', 'admin'];

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0, workers: BILLING_WORKERS });
  for (const u of ROLES) s[u] = await t.signIn(u);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

describe('role matrix of /api/billing', () => {
  // [method, path, body, roles that may]; every other role gets 403. Bodies are invalid on purpose: an
  // allowed role gets past the role check (no 403) and is then refused by validation, changing nothing.
  const matrix: Array<[string, string, unknown, string[]]> = [
    ['GET', '/api/billing/tariffs', undefined, ROLES],
    ['GET', '/api/billing/tariffs/1', undefined, ROLES],
    ['POST', '/api/billing/tariffs', {}, ['manager', 'admin']],
    ['POST', '/api/billing/tariffs/1/end', {}, ['manager', 'admin']],
    ['GET', '/api/billing/runs', undefined, ['clerk', 'cashier', 'manager', 'auditor', 'admin']],
    ['GET', '/api/billing/runs/999', undefined, ['clerk', 'cashier', 'manager', 'auditor', 'admin']],
    ['POST', '/api/billing/runs', { period: 'x' }, ['manager', 'admin']],
    ['GET', '/api/billing/bills/999', undefined, ['clerk', 'cashier', 'manager', 'auditor', 'admin']],
    ['GET', '/api/billing/accounts/X1/bills', undefined, ['clerk', 'cashier', 'manager', 'auditor', 'admin']],
    ['POST', '/api/billing/bills/999/rebill', {}, ['clerk', 'manager', 'admin']],
    ['POST', '/api/billing/bills/999/rebill/preview', {}, ['clerk', 'manager', 'admin']],
    ['POST', '/api/billing/bills/999/reverse', {}, ['clerk', 'manager', 'admin']],
  ];

  test('each role gets 403 exactly where the matrix says; auditors change nothing', async () => {
    const seen: string[] = [];
    for (const [method, path, body, allowed] of matrix) {
      for (const role of ROLES) {
        const r = await s[role].call(method, path, body);
        const forbidden = r.status === 403;
        expect([role, method, path, forbidden]).toEqual([role, method, path, !allowed.includes(role)]);
        seen.push(`${role} ${method} ${path} ${r.status}`);
      }
    }
    expect(seen).toHaveLength(matrix.length * ROLES.length);
  });

  test('without a session: 401', async () => {
    expect((await fetch(`${t.app.url}/api/billing/runs`)).status).toBe(401);
  });
});

describe('bill runs', () => {
  test('a manager starts a run: the process bills, posts and notifies; progress shows done/total/rate/ETA', async () => {
    const a = await billingAccount(t.db.knex);
    const b = await billingAccount(t.db.knex, { customerClass: 'non_residential' });
    await addReading(t.db.knex, a.id, '2026-10', '12');
    await addReading(t.db.knex, b.id, '2026-10', '40');
    const started = await s.manager.call('POST', '/api/billing/runs', { period: '2026-10' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ period: '2026-10', startedBy: 'manager' });
    expect(String(started.body.processInstanceKey)).toMatch(/^\d+$/);
    const done = await eventually(async () => {
      const r = await s.clerk.call('GET', `/api/billing/runs/${started.body.id}`);
      return r.body.status === 'done' ? r.body : undefined;
    });
    expect(done).toMatchObject({ done: 2, total: 2, etaSeconds: 0, billsPosted: 2, billsForReview: 0 });
    expect(done.rate).toBeGreaterThan(0);
    const listed = await s.auditor.call('GET', '/api/billing/runs');
    expect((listed.body.items as Array<{ id: number }>).map((r) => r.id)).toContain(started.body.id);

    const bills = await s.cashier.call('GET', `/api/billing/accounts/${a.accountNo}/bills`);
    expect(bills.body.items).toEqual([
      expect.objectContaining({ period: '2026-10', status: 'posted', amountFen: 12 * (345 + 95 + 20) }),
    ]);

    const again = await s.manager.call('POST', '/api/billing/runs', { period: '2026-10-01' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'run_exists', field: 'period' });
    expect(String(again.body.detail)).toContain(`run ${started.body.id}`);

    // A clerk re-bills after a correction: 201 with the new bill; reversing it again is a 409 on a reversed bill.
    const billId = (bills.body.items as Array<{ id: number }>)[0].id;
    const re = await s.clerk.call('POST', `/api/billing/bills/${billId}/rebill`, { reason: '复核' });
    expect(re.status).toBe(201);
    expect(re.body).toMatchObject({ replacesBillId: billId, status: 'posted' });
    const rev = await s.clerk.call('POST', `/api/billing/bills/${billId}/reverse`, { reason: 'x' });
    expect(rev.status).toBe(409);
  });

  test('bad input: problem documents naming the field', async () => {
    const bad = await s.manager.call('POST', '/api/billing/runs', { period: '2026-13' });
    expect(bad).toMatchObject({ status: 422, body: { field: 'period' } });
    const threshold = await s.manager.call('POST', '/api/billing/runs', { period: '2026-09', reviewThresholdFen: -1 });
    expect(threshold).toMatchObject({ status: 422, body: { field: 'reviewThresholdFen' } });
    const tariff = await s.manager.call('POST', '/api/billing/tariffs', {
      code: 'RES-X',
      name: 'x',
      customerClass: 'residential',
      effectiveFrom: '2026-06-01',
      components: [{ code: 'water', name: '水费', basis: 'flat', priceFen: 300 }],
    });
    expect(tariff).toMatchObject({ status: 409, body: { code: 'overlap', field: 'effectiveFrom' } });
    const end = await s.manager.call('POST', '/api/billing/tariffs/1/end', { effectiveTo: 'soon' });
    expect(end).toMatchObject({ status: 422, body: { field: 'effectiveTo' } });
    expect((await s.clerk.call('GET', '/api/billing/tariffs?class=vip')).body).toMatchObject({ field: 'class' });
    expect((await s.clerk.call('GET', '/api/billing/bills/abc')).status).toBe(404);
    expect((await s.clerk.call('POST', '/api/billing/bills/1/rebill', {})).body).toMatchObject({ field: 'reason' });
    expect(await t.db.knex('cis.bill_runs').where({ period: '2026-09-01' })).toHaveLength(0);
  });
});
