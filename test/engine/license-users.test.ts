import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { rejection } from '../support/engine.js';
import { createUser } from '../../server/auth/users.js';

/**
 * GET /v2/license and POST /v2/users/search as a self-managed, single-tenant Camunda 8.8 answers them, against
 * Aquaflow as `npm start` runs it (its users are the engine's users), through the official client in fanatical
 * response validation.
 */
let t: TestAquaflow;
const now = { consistency: { waitUpToMs: 0 } } as never;

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0 });
  await createUser(t.db.knex, {
    username: 'lin.wei',
    displayName: 'Lin Wei',
    password: 'demo',
    roles: ['clerk'],
  });
  await t.db.knex('cis.users').where({ username: 'lin.wei' }).update({ email: 'lin.wei@water.example' });
});
afterAll(() => t?.stop());

describe('license', () => {
  test('no Camunda license: not valid, type unknown, not commercial, no expiry — to anyone, signed in or not', async () => {
    const expected = { validLicense: false, licenseType: 'unknown', isCommercial: false, expiresAt: null };
    expect(await t.client('clerk').getLicense()).toEqual(expected);
    const anonymous = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: t.app.url,
        CAMUNDA_AUTH_STRATEGY: 'NONE',
        CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical',
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      } as never,
    });
    expect(await anonymous.getLicense()).toEqual(expected);
    // Unprotected as in Camunda, but only that path: the topology still wants credentials.
    expect((await fetch(`${t.app.url}/v2/topology`)).status).toBe(401);
  });
});

describe('users search', () => {
  test("Camunda's filter, sort and page over Aquaflow's users", async () => {
    const admin = t.client('admin');
    const demo = await admin.searchUsers(
      {
        filter: { name: { $like: 'Demo c*' } },
        sort: [{ field: 'username', order: 'DESC' }],
        page: { from: 0, limit: 2 },
      } as never,
      now,
    );
    // Demo users whose display name starts "Demo c": cashier, clerk, crew — newest name first, two per page.
    expect(demo.items).toEqual([
      { username: 'crew', name: 'Demo crew' },
      { username: 'clerk', name: 'Demo clerk' },
    ]);
    expect(demo.page.totalItems).toBe(3);

    const byEmail = await admin.searchUsers({ filter: { email: 'lin.wei@water.example' } } as never, now);
    expect(byEmail.items).toEqual([{ username: 'lin.wei', name: 'Lin Wei', email: 'lin.wei@water.example' }]);
    expect(byEmail.page.totalItems).toBe(1);

    const none = await admin.searchUsers({ filter: { username: { $in: ['nobody', 'no-one'] } } } as never, now);
    expect(none).toMatchObject({ items: [], page: { totalItems: 0 } });
  });

  test('USER READ: admins and auditors search users; anyone else is refused with 403', async () => {
    expect((await t.client('auditor').searchUsers({ filter: { username: 'clerk' } } as never, now)).items).toHaveLength(
      1,
    );
    for (const user of ['manager', 'clerk', 'worker']) {
      const problem = await rejection(t.client(user).searchUsers({} as never, now));
      expect(problem).toMatchObject({ status: 403, title: 'FORBIDDEN' });
    }
  });

  test('a filter field Camunda does not know is a 400 problem naming it (the client would refuse to send it)', async () => {
    const res = await fetch(`${t.app.url}/v2/users/search`, {
      method: 'POST',
      headers: {
        Authorization: 'Basic ' + Buffer.from('admin:demo').toString('base64'),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ filter: { role: 'clerk' } }),
    });
    const problem = (await res.json()) as { status: number; title: string; detail: string };
    expect([res.status, problem.status, problem.title]).toEqual([400, 400, 'INVALID_ARGUMENT']);
    expect(problem.detail).toContain('role');
  });
});
