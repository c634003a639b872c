import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

// /api/admin through the running app: the admin screen's users, roles and authorizations, which it keeps through
// the engine's Camunda 8.8 identity API (/v2/users, /v2/roles, /v2/authorizations) as the signed-in admin.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};

beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0 });
  for (const u of ['admin', 'auditor', 'clerk', 'manager']) s[u] = await t.signIn(u);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

type Row = Record<string, unknown>;
const users = async (as = 'admin') => (await s[as].call('GET', '/api/admin/users')).body.items as Row[];
const userRow = async (username: string) => (await users()).find((u) => u.username === username);

async function signInStatus(username: string, password: string): Promise<number> {
  const res = await fetch(`${t.app.url}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return res.status;
}

async function createUser(username: string, roles: string[], password = 'initial-pass-1') {
  return s.admin.call('POST', '/api/admin/users', { username, displayName: `Staff ${username}`, password, roles });
}

describe('who may use /api/admin', () => {
  // Bodies are invalid on purpose: a role past the role check is refused by validation, changing nothing.
  const writes: Array<[string, string, unknown]> = [
    ['POST', '/api/admin/users', {}],
    ['PATCH', '/api/admin/users/clerk', { roles: [] }],
    ['POST', '/api/admin/users/nobody-at-all/deactivate', {}],
    ['POST', '/api/admin/users/nobody-at-all/activate', {}],
    ['POST', '/api/admin/authorizations', {}],
    ['PUT', '/api/admin/authorizations/1', {}],
    ['DELETE', '/api/admin/authorizations/1', undefined],
  ];
  const reads = [
    '/api/admin/users',
    '/api/admin/roles',
    '/api/admin/authorizations',
    '/api/admin/authorizations/catalogue',
  ];

  test('a clerk and a manager get 403 on every admin route', async () => {
    for (const who of ['clerk', 'manager']) {
      for (const path of reads) expect([who, path, (await s[who].call('GET', path)).status]).toEqual([who, path, 403]);
      for (const [method, path, body] of writes)
        expect([who, method, path, (await s[who].call(method, path, body)).status]).toEqual([who, method, path, 403]);
    }
  });

  test('the auditor reads users, roles and authorizations but changes nothing', async () => {
    for (const path of reads) expect([path, (await s.auditor.call('GET', path)).status]).toEqual([path, 200]);
    for (const [method, path, body] of writes)
      expect([method, path, (await s.auditor.call(method, path, body)).status]).toEqual([method, path, 403]);
    const before = (await users('auditor')).length;
    expect(
      (
        await s.auditor.call('POST', '/api/admin/users', {
          username: 'x1',
          displayName: 'X',
          password: 'long-enough',
          roles: ['clerk'],
        })
      ).status,
    ).toBe(403);
    expect(await users('auditor')).toHaveLength(before);
  });

  test('without a session: 401', async () => {
    expect((await fetch(`${t.app.url}/api/admin/users`)).status).toBe(401);
  });
});

describe('users', () => {
  test('the list shows every demo user with their roles and active flag', async () => {
    const list = await users();
    expect(list.find((u) => u.username === 'clerk')).toEqual({
      username: 'clerk',
      displayName: 'Demo clerk',
      email: null,
      roles: ['clerk'],
      active: true,
    });
    expect(list.find((u) => u.username === 'worker')?.roles).toEqual(['worker']);
  });

  test('the admin creates a clerk with an initial password; the new clerk signs in with it', async () => {
    const r = await createUser('li.ming', ['clerk']);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      username: 'li.ming',
      displayName: 'Staff li.ming',
      email: null,
      roles: ['clerk'],
      active: true,
    });
    expect(await userRow('li.ming')).toEqual(r.body);

    const session = await t.signIn('li.ming', 'initial-pass-1');
    const me = await session.call('GET', '/api/session');
    expect(me.body.user).toMatchObject({ username: 'li.ming', displayName: 'Staff li.ming', roles: ['clerk'] });
    // The same user through /v2, as Camunda's tools see it.
    const v2 = await t.client('admin').getUser({ username: 'li.ming' as never }, { consistency: { waitUpToMs: 0 } });
    expect(v2).toEqual({ username: 'li.ming', name: 'Staff li.ming' });
    // The engine's record log names the admin who did it: /api acted as the admin, not as a service.
    const records = await t.db
      .knex('engine.record')
      .where({ value_type: 'USER', intent: 'CREATED' })
      .whereRaw("value->>'username' = ?", ['li.ming'])
      .pluck('actor');
    expect(records).toEqual(['admin']);
  });

  test('a taken username is a 409 on username; bad input a 422 naming the field; nothing is created', async () => {
    const taken = await createUser('clerk', ['clerk']);
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'username-taken', field: 'username' });

    const cases: Array<[Row, string]> = [
      [{ username: 'has space', displayName: 'A', password: 'long-enough', roles: ['clerk'] }, 'username'],
      [{ username: 'short.pw', displayName: 'A', password: 'short', roles: ['clerk'] }, 'password'],
      [{ username: 'no.roles', displayName: 'A', password: 'long-enough', roles: [] }, 'roles'],
      [{ username: 'no.name', displayName: ' ', password: 'long-enough', roles: ['clerk'] }, 'displayName'],
    ];
    for (const [body, field] of cases) {
      const r = await s.admin.call('POST', '/api/admin/users', body);
      expect([field, r.status, r.body.field, r.body.type]).toEqual([field, 422, field, 'about:blank']);
    }
    const unknown = await createUser('ghost.role', ['plumber']);
    expect([unknown.status, unknown.body.code, unknown.body.field]).toEqual([422, 'unknown-role', 'roles']);
    expect(await userRow('ghost.role')).toBeUndefined();
  });

  test('the admin changes roles and the display name; the user has the new roles at once', async () => {
    await createUser('wang.fang', ['clerk']);
    const session = await t.signIn('wang.fang', 'initial-pass-1');
    const r = await s.admin.call('PATCH', '/api/admin/users/wang.fang', {
      displayName: '王芳',
      roles: ['cashier', 'reader'],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ displayName: '王芳', roles: ['cashier', 'reader'], active: true });
    expect((await session.call('GET', '/api/session')).body.user).toMatchObject({
      displayName: '王芳',
      roles: ['cashier', 'reader'],
    });
    // A clerk's screen is closed to her now; a cashier's is open.
    expect((await session.call('POST', '/api/cases', { processId: 'account-opening' })).status).toBe(403);
    expect((await session.call('GET', '/api/billing/runs')).status).toBe(200);
  });

  test('the admin resets a password: the old one stops working', async () => {
    await createUser('zhao.lei', ['reader']);
    expect((await s.admin.call('PATCH', '/api/admin/users/zhao.lei', { password: 'second-pass-2' })).status).toBe(200);
    expect(await signInStatus('zhao.lei', 'initial-pass-1')).toBe(401);
    expect(await signInStatus('zhao.lei', 'second-pass-2')).toBe(201);
  });

  test('a deactivated user cannot sign in and their open session ends; reactivated, they can again', async () => {
    await createUser('chen.jie', ['crew']);
    const session = await t.signIn('chen.jie', 'initial-pass-1');
    const off = await s.admin.call('POST', '/api/admin/users/chen.jie/deactivate', {});
    expect([off.status, off.body.active]).toEqual([200, false]);
    expect((await userRow('chen.jie'))?.active).toBe(false);
    expect(await signInStatus('chen.jie', 'initial-pass-1')).toBe(401);
    expect((await session.call('GET', '/api/session')).status).toBe(401);

    const on = await s.admin.call('POST', '/api/admin/users/chen.jie/activate', {});
    expect([on.status, on.body.active]).toEqual([200, true]);
    expect(await signInStatus('chen.jie', 'initial-pass-1')).toBe(201);
    // Aquaflow's own change (the engine has no such flag) is in cis.audit_log, with who and what.
    const audit = await t.db
      .knex('cis.audit_log')
      .where({ entity: 'user', entity_id: 'chen.jie' })
      .orderBy('id')
      .select('actor', 'action', 'after');
    expect(audit).toEqual([
      { actor: 'admin', action: 'deactivated', after: { active: false } },
      { actor: 'admin', action: 'reactivated', after: { active: true } },
    ]);
  });

  test('worker (a service identity) with a person role: 409 with the engine message; nothing changes', async () => {
    const created = await createUser('svc.clerk', ['clerk', 'worker']);
    expect(created.status).toBe(409);
    expect(created.body).toMatchObject({ code: 'worker-combined', field: 'roles' });
    expect(created.body.detail).toMatch(/cannot be combined/);
    expect(created.body.engineDetail).toBe(created.body.detail);
    expect(await userRow('svc.clerk')).toBeUndefined();

    await createUser('sun.wei', ['clerk', 'cashier']);
    const changed = await s.admin.call('PATCH', '/api/admin/users/sun.wei', { roles: ['clerk', 'worker'] });
    expect([changed.status, changed.body.code, changed.body.field]).toEqual([409, 'worker-combined', 'roles']);
    expect(changed.body.detail).toMatch(/worker/);
    expect((await userRow('sun.wei'))?.roles).toEqual(['cashier', 'clerk']);

    // Turning a person into a service identity in one change is fine: the person roles go first.
    const turned = await s.admin.call('PATCH', '/api/admin/users/sun.wei', { roles: ['worker'] });
    expect([turned.status, turned.body.roles]).toEqual([200, ['worker']]);
  });

  test('an admin cannot lock themselves out', async () => {
    const own = await s.admin.call('PATCH', '/api/admin/users/admin', { roles: ['manager'] });
    expect([own.status, own.body.code, own.body.field]).toEqual([409, 'own-admin-role', 'roles']);
    const off = await s.admin.call('POST', '/api/admin/users/admin/deactivate', {});
    expect([off.status, off.body.code]).toEqual([409, 'self-deactivate']);
    expect(await userRow('admin')).toMatchObject({ roles: ['admin'], active: true });
  });

  test('unknown users are 404', async () => {
    expect((await s.admin.call('PATCH', '/api/admin/users/nobody', { displayName: 'X' })).status).toBe(404);
    expect((await s.admin.call('POST', '/api/admin/users/nobody/deactivate', {})).status).toBe(404);
  });
});

describe('roles and authorizations', () => {
  test('roles come with their members and their authorizations', async () => {
    const { body } = await s.auditor.call('GET', '/api/admin/roles');
    const roles = body.items as Array<Row & { members: string[]; authorizations: Row[] }>;
    const admin = roles.find((r) => r.roleId === 'admin')!;
    expect(admin.members).toContain('admin');
    expect(admin.authorizations).toContainEqual(
      expect.objectContaining({
        resourceType: 'USER',
        resourceId: '*',
        permissionTypes: expect.arrayContaining(['CREATE', 'READ', 'UPDATE', 'DELETE']),
      }),
    );
    const clerk = roles.find((r) => r.roleId === 'clerk')!;
    expect(clerk.authorizations).toContainEqual(
      expect.objectContaining({
        resourceType: 'PROCESS_DEFINITION',
        resourceId: 'account-opening',
        permissionTypes: ['CREATE_PROCESS_INSTANCE'],
      }),
    );
    expect(roles.map((r) => r.roleId)).toEqual(expect.arrayContaining(['worker', 'auditor', 'manager']));
  });

  test('the catalogue offers each resource type its permissions and the deployed processes by name', async () => {
    const { body } = await s.admin.call('GET', '/api/admin/authorizations/catalogue');
    const types = body.resourceTypes as Array<{ resourceType: string; permissionTypes: string[] }>;
    expect(types.find((x) => x.resourceType === 'PROCESS_DEFINITION')?.permissionTypes).toContain(
      'CREATE_PROCESS_INSTANCE',
    );
    expect((body.processes as Row[]).map((p) => p.processDefinitionId)).toContain('bill-run');
  });

  test('granting a role a permission lets its users do it at once; revoking takes it back', async () => {
    const start = () =>
      t.client('clerk').createProcessInstance({ processDefinitionId: 'bill-run' as never, variables: { runId: 0 } });
    await expect(start()).rejects.toMatchObject({ status: 403 });

    const granted = await s.admin.call('POST', '/api/admin/authorizations', {
      roleId: 'clerk',
      resourceType: 'PROCESS_DEFINITION',
      resourceId: 'bill-run',
      permissionTypes: ['CREATE_PROCESS_INSTANCE'],
    });
    expect(granted.status).toBe(201);
    const key = granted.body.authorizationKey as string;
    expect(granted.body).toEqual({
      authorizationKey: key,
      roleId: 'clerk',
      resourceType: 'PROCESS_DEFINITION',
      resourceId: 'bill-run',
      permissionTypes: ['CREATE_PROCESS_INSTANCE'],
    });
    await expect(start()).resolves.toMatchObject({ processDefinitionId: 'bill-run' });

    // A second grant on the same resource adds to the same authorization.
    const more = await s.admin.call('POST', '/api/admin/authorizations', {
      roleId: 'clerk',
      resourceType: 'PROCESS_DEFINITION',
      resourceId: 'bill-run',
      permissionTypes: ['CANCEL_PROCESS_INSTANCE'],
    });
    expect([more.status, more.body.authorizationKey]).toEqual([200, key]);
    expect((more.body.permissionTypes as string[]).sort()).toEqual([
      'CANCEL_PROCESS_INSTANCE',
      'CREATE_PROCESS_INSTANCE',
    ]);

    // Revoking one permission keeps the other; revoking the authorization removes it.
    const fewer = await s.admin.call('PUT', `/api/admin/authorizations/${key}`, {
      permissionTypes: ['CANCEL_PROCESS_INSTANCE'],
    });
    expect([fewer.status, fewer.body.permissionTypes]).toEqual([200, ['CANCEL_PROCESS_INSTANCE']]);
    await expect(start()).rejects.toMatchObject({ status: 403 });
    expect((await s.admin.call('DELETE', `/api/admin/authorizations/${key}`)).status).toBe(204);
    const left = (await s.admin.call('GET', '/api/admin/authorizations?roleId=clerk')).body.items as Row[];
    expect(left.find((a) => a.authorizationKey === key)).toBeUndefined();
    // Every step is in the engine's record log under the admin's name.
    const log = await t.db
      .knex('engine.record')
      .where({ value_type: 'AUTHORIZATION', key })
      .orderBy('position')
      .select('intent', 'actor');
    expect(log).toEqual(['CREATED', 'UPDATED', 'UPDATED', 'DELETED'].map((intent) => ({ intent, actor: 'admin' })));
  });

  test('a permission its resource type does not take, or an unknown role, is a 422 naming the field', async () => {
    const wrong = await s.admin.call('POST', '/api/admin/authorizations', {
      roleId: 'clerk',
      resourceType: 'MESSAGE',
      resourceId: '*',
      permissionTypes: ['CREATE_PROCESS_INSTANCE'],
    });
    expect([wrong.status, wrong.body.field]).toEqual([422, 'permissionTypes']);
    const type = await s.admin.call('POST', '/api/admin/authorizations', {
      roleId: 'clerk',
      resourceType: 'SPACESHIP',
      resourceId: '*',
      permissionTypes: ['READ'],
    });
    expect([type.status, type.body.field]).toEqual([422, 'resourceType']);
    const role = await s.admin.call('POST', '/api/admin/authorizations', {
      roleId: 'plumber',
      resourceType: 'MESSAGE',
      resourceId: '*',
      permissionTypes: ['READ'],
    });
    expect([role.status, role.body.field]).toEqual([422, 'roleId']);
  });

  test("the engine's rules apply to the screen: an auditor without the engine's USER read gets 403", async () => {
    const auditor = (await s.admin.call('GET', '/api/admin/authorizations?roleId=auditor')).body.items as Row[];
    const users = auditor.find((a) => a.resourceType === 'USER' && a.resourceId === '*')!;
    expect((await s.admin.call('DELETE', `/api/admin/authorizations/${users.authorizationKey}`)).status).toBe(204);
    const refused = await s.auditor.call('GET', '/api/admin/users');
    expect([refused.status, refused.body.code]).toEqual([403, 'engine-forbidden']);
    expect((await s.auditor.call('GET', '/api/admin/roles')).status).toBe(200);

    const back = await s.admin.call('POST', '/api/admin/authorizations', {
      roleId: 'auditor',
      resourceType: 'USER',
      resourceId: '*',
      permissionTypes: ['READ'],
    });
    expect(back.status).toBe(201);
    expect((await s.auditor.call('GET', '/api/admin/users')).status).toBe(200);
  });

  test('the admin role keeps its grants on users, roles and authorizations', async () => {
    const admin = (await s.admin.call('GET', '/api/admin/authorizations?roleId=admin')).body.items as Row[];
    const identity = admin.find((a) => a.resourceType === 'AUTHORIZATION' && a.resourceId === '*')!;
    const del = await s.admin.call('DELETE', `/api/admin/authorizations/${identity.authorizationKey}`);
    expect([del.status, del.body.code]).toEqual([409, 'admin-lifeline']);
    const cut = await s.admin.call('PUT', `/api/admin/authorizations/${identity.authorizationKey}`, {
      permissionTypes: ['READ'],
    });
    expect([cut.status, cut.body.code]).toEqual([409, 'admin-lifeline']);
  });
});
