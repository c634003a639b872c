import { createCamundaClient, type Username } from '@camunda8/orchestration-cluster-api';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';

/**
 * Camunda 8.8's identity endpoints on /v2 (users, roles, groups, authorizations, mapping rules) over Aquaflow's
 * own users and roles, driven through the official client with strict request and fanatical response
 * validation, as Camunda's tools would drive them.
 */
type Client = ReturnType<typeof createCamundaClient>;
const now = { consistency: { waitUpToMs: 0 } } as const;
const U = (name: string) => name as Username;

let t: TestAquaflow;
let admin: Client;

function clientAs(username: string, password: string): Client {
  return createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: t.app.url,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: username,
      CAMUNDA_BASIC_AUTH_PASSWORD: password,
      CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
    } as never,
  });
}

/** The problem a rejected call answered with (status, title, detail). */
async function failure(p: Promise<unknown>): Promise<{ status?: number; title?: string; detail?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: number; title?: string; detail?: string; response?: { status?: number } };
    return { status: err.status ?? err.response?.status, title: err.title, detail: err.detail };
  }
  throw new Error('expected the call to fail');
}

/** Raw /v2 calls for bodies the official client would refuse to send. */
async function raw(user: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${t.app.url}/v2${path}`, {
    method,
    headers: {
      Authorization: 'Basic ' + Buffer.from(`${user}:demo`).toString('base64'),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const startService = (c: Client) =>
  c.createProcessInstance({ processDefinitionId: 'service-request', variables: { note: 'identity test' } } as never);

const counts = async () => {
  const k = t.db.knex;
  const n = async (table: string) => Number((await k(table).count({ n: '*' }))[0].n);
  return {
    users: await n('cis.users'),
    userRoles: await n('cis.user_roles'),
    roles: await n('cis.roles'),
    groups: await n('engine.identity_group'),
    members: await n('engine.group_member'),
    roleMembers: await n('engine.role_member'),
    rules: await n('engine.mapping_rule'),
    authorizations: await n('engine.authorizations'),
    identityRecords: Number(
      (
        await k('engine.record')
          .whereIn('value_type', ['USER', 'ROLE', 'GROUP', 'AUTHORIZATION', 'MAPPING_RULE'])
          .count({ n: '*' })
      )[0].n,
    ),
  };
};

beforeAll(async () => {
  t = await startTestAquaflow();
  admin = t.client('admin');
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('users', () => {
  test('admin creates, reads, searches, updates and deletes users', async () => {
    const created = await admin.createUser(
      { username: U('lin.wei'), password: 'first-secret', name: 'Lin Wei', email: 'lin.wei@example.com' },
      now,
    );
    expect(created).toEqual({ username: 'lin.wei', name: 'Lin Wei', email: 'lin.wei@example.com' });
    expect(await admin.getUser({ username: U('lin.wei') }, now)).toEqual(created);
    const row = await t.db.knex('cis.users').where({ username: 'lin.wei' }).first();
    expect(row.password_hash).toMatch(/^\$argon2/);
    expect(row.display_name).toBe('Lin Wei');

    for (const [u, name] of [
      ['ops.a', 'Ops Alpha'],
      ['ops.b', 'Ops Beta'],
      ['ops.c', 'Ops Gamma'],
    ])
      await admin.createUser({ username: u, password: 'pw', name }, now);

    const page = await admin.searchUsers(
      {
        filter: { username: { $like: 'ops.*' } },
        sort: [{ field: 'username', order: 'DESC' }],
        page: { from: 1, limit: 1 },
      },
      now,
    );
    expect(page.items).toEqual([{ username: 'ops.b', name: 'Ops Beta' }]);
    expect(Number(page.page.totalItems)).toBe(3);
    const byName = await admin.searchUsers({ filter: { name: 'Ops Gamma' } }, now);
    expect(byName.items.map((u) => u.username)).toEqual(['ops.c']);
    const some = await admin.searchUsers(
      { filter: { username: { $in: ['ops.a', 'ops.c', 'nobody'] } }, sort: [{ field: 'name' }] },
      now,
    );
    expect(some.items.map((u) => u.username)).toEqual(['ops.a', 'ops.c']);
    // The demo users are Aquaflow's own users, seen through the same endpoint.
    const demo = await admin.searchUsers({ filter: { username: U('clerk') } }, now);
    expect(demo.items).toEqual([{ username: 'clerk', name: 'Demo clerk' }]);

    // Cursor paging (raw HTTP: with req:strict the 8.8 client strips `after` from the page).
    const first = await raw('admin', 'POST', '/users/search', {
      filter: { username: { $like: 'ops.*' } },
      page: { limit: 2 },
    });
    const firstPage = first.body as { items: Array<{ username: string }>; page: { endCursor: string } };
    expect(firstPage.items.map((u) => u.username)).toEqual(['ops.a', 'ops.b']);
    const next = await raw('admin', 'POST', '/users/search', {
      filter: { username: { $like: 'ops.*' } },
      page: { after: firstPage.page.endCursor, limit: 2 },
    });
    expect((next.body.items as Array<{ username: string }>).map((u) => u.username)).toEqual(['ops.c']);

    // The change is in the record log, with its actor, as Zeebe records USER CREATED; never a password.
    const records = await t.db
      .knex('engine.record')
      .where({ value_type: 'USER', intent: 'CREATED' })
      .whereRaw("value->>'username' = ?", ['lin.wei']);
    expect(records).toHaveLength(1);
    expect(records[0].actor).toBe('admin');
    expect(JSON.stringify(records[0].value)).not.toContain('first-secret');

    const updated = await admin.updateUser({ username: U('ops.c'), name: 'Ops Charlie', password: 'new-secret' }, now);
    expect(updated).toEqual({ username: 'ops.c', name: 'Ops Charlie' });
    // The new password works, through the official client.
    await clientAs('ops.c', 'new-secret').getTopology();

    await admin.deleteUser({ username: U('ops.a') }, now);
    expect(await failure(admin.getUser({ username: U('ops.a') }, now))).toMatchObject({
      status: 404,
      title: 'NOT_FOUND',
    });
    expect(await t.db.knex('cis.users').where({ username: 'ops.a' }).first()).toBeUndefined();
  });

  test('duplicates are 409, unknown users 404, bad input 400 and writes nothing', async () => {
    await admin.createUser({ username: U('dup.user'), password: 'pw' }, now);
    expect(await failure(admin.createUser({ username: U('dup.user'), password: 'other' }, now))).toMatchObject({
      status: 409,
      title: 'ALREADY_EXISTS',
    });
    expect(await failure(admin.getUser({ username: U('no.such.user') }, now))).toMatchObject({ status: 404 });
    expect(await failure(admin.updateUser({ username: U('no.such.user'), name: 'X' }, now))).toMatchObject({
      status: 404,
    });
    expect(await failure(admin.deleteUser({ username: U('no.such.user') }, now))).toMatchObject({ status: 404 });

    const before = await counts();
    const bad = await raw('admin', 'POST', '/users', { username: 'has space', password: 'pw' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ title: 'INVALID_ARGUMENT' });
    expect(bad.body.detail).toContain('username');
    const noPassword = await raw('admin', 'POST', '/users', { username: 'no.password' });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.detail).toContain('password');
    const badEmail = await raw('admin', 'POST', '/users', { username: 'bad.email', password: 'pw', email: 'nope' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.detail).toContain('email');
    const badFilter = await raw('admin', 'POST', '/users/search', { filter: { username: { $gt: 'a' } } });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.detail).toContain('filter.username.$gt');
    expect(await counts()).toEqual(before);
  });
});

describe('roles', () => {
  test('admin manages roles and their users; Aquaflow roles are Camunda roles', async () => {
    const role = await admin.createRole({
      roleId: 'night-ops',
      name: 'Night operations',
      description: 'Out-of-hours dispatch',
    });
    expect(role).toEqual({ roleId: 'night-ops', name: 'Night operations', description: 'Out-of-hours dispatch' });
    expect(await admin.getRole({ roleId: 'night-ops' }, now)).toEqual(role);
    expect(await admin.getRole({ roleId: 'clerk' }, now)).toMatchObject({
      roleId: 'clerk',
      name: 'Service-counter clerk',
    });

    const found = await admin.searchRoles({ filter: { name: 'Night operations' } }, now);
    expect(found.items).toEqual([role]);
    const sorted = await admin.searchRoles(
      { sort: [{ field: 'roleId', order: 'ASC' }], page: { from: 0, limit: 3 } },
      now,
    );
    expect(sorted.items!.map((r) => r.roleId)).toEqual(['admin', 'auditor', 'cashier']);
    expect(Number(sorted.page.totalItems)).toBeGreaterThanOrEqual(11);

    const renamed = await admin.updateRole({
      roleId: 'night-ops',
      name: 'Night shift',
      description: 'Dispatch after 18:00',
    });
    expect(renamed).toEqual({ roleId: 'night-ops', name: 'Night shift', description: 'Dispatch after 18:00' });

    await admin.createUser({ username: U('night.one'), password: 'pw' }, now);
    await admin.assignRoleToUser({ roleId: 'night-ops', username: U('night.one') });
    expect(await failure(admin.assignRoleToUser({ roleId: 'night-ops', username: U('night.one') }))).toMatchObject({
      status: 409,
    });
    const holders = await admin.searchUsersForRole({ roleId: 'night-ops' }, now);
    expect(holders.items).toEqual([{ username: 'night.one' }]);
    const clerks = await admin.searchUsersForRole({ roleId: 'clerk' }, now);
    expect(clerks.items).toEqual([{ username: 'clerk' }]);

    // A role still held cannot go; once nobody holds it, it can.
    const held = await failure(admin.deleteRole({ roleId: 'night-ops' }));
    expect(held).toMatchObject({ status: 409 });
    expect(held.detail).toContain('night.one');
    await admin.unassignRoleFromUser({ roleId: 'night-ops', username: U('night.one') });
    expect(await failure(admin.unassignRoleFromUser({ roleId: 'night-ops', username: U('night.one') }))).toMatchObject({
      status: 404,
    });
    await admin.deleteRole({ roleId: 'night-ops' });
    expect(await failure(admin.getRole({ roleId: 'night-ops' }, now))).toMatchObject({ status: 404 });
    expect(await failure(admin.createRole({ roleId: 'clerk', name: 'Clerk again' }))).toMatchObject({
      status: 409,
      title: 'ALREADY_EXISTS',
    });
    expect(await failure(admin.assignRoleToUser({ roleId: 'no-such-role', username: U('night.one') }))).toMatchObject({
      status: 404,
    });
  });

  test('the last administrator keeps the role admin and cannot be deleted', async () => {
    const keep = await failure(admin.unassignRoleFromUser({ roleId: 'admin', username: U('admin') }));
    expect(keep).toMatchObject({ status: 409 });
    expect(keep.detail).toContain('last active user');
    expect(await failure(admin.deleteUser({ username: U('admin') }, now))).toMatchObject({ status: 409 });
    expect(await admin.getUser({ username: U('admin') }, now)).toMatchObject({ username: 'admin' });
  });

  test('a service identity (role worker) never holds a person role, and the reverse', async () => {
    await admin.createUser({ username: U('svc.reader'), password: 'pw' }, now);
    await admin.assignRoleToUser({ roleId: 'worker', username: U('svc.reader') });
    const person = await failure(admin.assignRoleToUser({ roleId: 'clerk', username: U('svc.reader') }));
    expect(person).toMatchObject({ status: 409 });
    expect(person.detail).toContain('service identity');

    await admin.createUser({ username: U('desk.person'), password: 'pw' }, now);
    await admin.assignRoleToUser({ roleId: 'cashier', username: U('desk.person') });
    const service = await failure(admin.assignRoleToUser({ roleId: 'worker', username: U('desk.person') }));
    expect(service).toMatchObject({ status: 409 });
    expect(service.detail).toContain('cashier');
    const roles = await t.db
      .knex('cis.user_roles as r')
      .join('cis.users as u', 'u.id', 'r.user_id')
      .whereIn('u.username', ['svc.reader', 'desk.person'])
      .orderBy('u.username')
      .select('u.username', 'r.role');
    expect(roles).toEqual([
      { username: U('desk.person'), role: 'cashier' },
      { username: U('svc.reader'), role: 'worker' },
    ]);
  });
});

describe('groups, authorizations and what they grant', () => {
  test('a user without roles may start a process once an authorization says so', async () => {
    await admin.createUser({ username: U('temp.staff'), password: 'temp-pw' }, now);
    const temp = clientAs('temp.staff', 'temp-pw');
    expect(await failure(startService(temp))).toMatchObject({ status: 403, title: 'FORBIDDEN' });

    const { authorizationKey } = await admin.createAuthorization({
      ownerType: 'USER',
      ownerId: 'temp.staff',
      resourceType: 'PROCESS_DEFINITION',
      resourceId: 'service-request',
      permissionTypes: ['CREATE_PROCESS_INSTANCE'],
    });
    expect(authorizationKey).toMatch(/^\d+$/);
    const started = await startService(temp);
    expect(started.processInstanceKey).toMatch(/^\d+$/);
    // Only that process.
    expect(await failure(temp.createProcessInstance({ processDefinitionId: 'repair-ticket' } as never))).toMatchObject({
      status: 403,
    });

    expect(await admin.getAuthorization({ authorizationKey: authorizationKey! }, now)).toEqual({
      authorizationKey,
      ownerType: 'USER',
      ownerId: 'temp.staff',
      resourceType: 'PROCESS_DEFINITION',
      resourceId: 'service-request',
      permissionTypes: ['CREATE_PROCESS_INSTANCE'],
    });
    const mine = await admin.searchAuthorizations({ filter: { ownerId: 'temp.staff', ownerType: 'USER' } }, now);
    expect(mine.items!.map((a) => a.authorizationKey)).toEqual([authorizationKey]);
    const byResource = await admin.searchAuthorizations(
      {
        filter: { resourceType: 'PROCESS_DEFINITION', resourceIds: ['service-request'] },
        sort: [{ field: 'ownerId' }],
      },
      now,
    );
    expect(byResource.items!.some((a) => a.ownerId === 'clerk' && a.ownerType === 'ROLE')).toBe(true);
    expect(byResource.items!.some((a) => a.ownerId === 'temp.staff')).toBe(true);
    expect((await admin.searchAuthorizations({ filter: { ownerType: 'UNSPECIFIED' } }, now)).items).toEqual([]);

    // Taking the permission away (update to another process, then delete) takes effect at once.
    await admin.updateAuthorization({
      authorizationKey: authorizationKey!,
      ownerType: 'USER',
      ownerId: 'temp.staff',
      resourceType: 'PROCESS_DEFINITION',
      resourceId: 'repair-ticket',
      permissionTypes: ['CREATE_PROCESS_INSTANCE', 'READ_PROCESS_DEFINITION'],
    });
    expect(await failure(startService(temp))).toMatchObject({ status: 403 });
    await admin.deleteAuthorization({ authorizationKey: authorizationKey! });
    expect(await failure(admin.getAuthorization({ authorizationKey: authorizationKey! }, now))).toMatchObject({
      status: 404,
    });
    expect(await failure(admin.deleteAuthorization({ authorizationKey: authorizationKey! }))).toMatchObject({
      status: 404,
    });
  });

  test('a group, its members and its authorizations', async () => {
    await admin.createUser({ username: U('group.member'), password: 'gm-pw' }, now);
    const member = clientAs('group.member', 'gm-pw');
    expect(await failure(startService(member))).toMatchObject({ status: 403 });

    const group = await admin.createGroup({ groupId: 'counter-b', name: 'Counter B', description: 'Branch office' });
    expect(group).toEqual({ groupId: 'counter-b', name: 'Counter B', description: 'Branch office' });
    expect(await failure(admin.createGroup({ groupId: 'counter-b', name: 'Again' }))).toMatchObject({
      status: 409,
    });
    await admin.createAuthorization({
      ownerType: 'GROUP',
      ownerId: 'counter-b',
      resourceType: 'PROCESS_DEFINITION',
      resourceId: 'service-request',
      permissionTypes: ['CREATE_PROCESS_INSTANCE'],
    });
    await admin.assignUserToGroup({ groupId: 'counter-b', username: U('group.member') });
    expect(await failure(admin.assignUserToGroup({ groupId: 'counter-b', username: U('group.member') }))).toMatchObject(
      {
        status: 409,
      },
    );
    expect(await failure(admin.assignUserToGroup({ groupId: 'counter-b', username: U('no.such.user') }))).toMatchObject(
      {
        status: 404,
      },
    );
    expect((await startService(member)).processInstanceKey).toMatch(/^\d+$/);

    const members = await admin.searchUsersForGroup({ groupId: 'counter-b' }, now);
    expect(members.items).toEqual([{ username: 'group.member' }]);
    const groups = await admin.searchGroups({ filter: { groupId: { $like: 'counter-*' } } }, now);
    expect(groups.items).toEqual([group]);
    expect(await admin.getGroup({ groupId: 'counter-b' }, now)).toEqual(group);
    const renamed = await admin.updateGroup({ groupId: 'counter-b', name: 'Counter B (east)', description: '' });
    expect(renamed).toEqual({ groupId: 'counter-b', name: 'Counter B (east)', description: '' });

    // Roles of a group reach its members' grants; the listing goes through Aquaflow's roles.
    await admin.assignRoleToGroup({ roleId: 'auditor', groupId: 'counter-b' });
    const roles = await admin.searchRolesForGroup({ groupId: 'counter-b' }, now);
    expect(roles.items!.map((r) => r.roleId)).toEqual(['auditor']);
    const roleGroups = await admin.searchGroupsForRole({ roleId: 'auditor' }, now);
    expect(roleGroups.items).toEqual([{ groupId: 'counter-b' }]);
    expect((await member.searchUsers({}, now)).items.length).toBeGreaterThan(0); // auditor: USER READ
    await admin.unassignRoleFromGroup({ roleId: 'auditor', groupId: 'counter-b' });

    await admin.unassignUserFromGroup({ groupId: 'counter-b', username: U('group.member') });
    expect(await failure(startService(member))).toMatchObject({ status: 403 });

    await admin.deleteGroup({ groupId: 'counter-b' });
    expect(await failure(admin.getGroup({ groupId: 'counter-b' }, now))).toMatchObject({ status: 404 });
    const left = await t.db.knex('engine.authorizations').where({ owner_type: 'GROUP', owner_id: 'counter-b' });
    expect(left).toEqual([]);
  });

  test('a new role grants its holders what its authorizations say', async () => {
    await admin.createRole({ roleId: 'intake', name: 'Intake desk' });
    await admin.createAuthorization({
      ownerType: 'ROLE',
      ownerId: 'intake',
      resourceType: 'PROCESS_DEFINITION',
      resourceId: 'service-request',
      permissionTypes: ['CREATE_PROCESS_INSTANCE'],
    });
    await admin.createUser({ username: U('intake.one'), password: 'in-pw' }, now);
    await admin.assignRoleToUser({ roleId: 'intake', username: U('intake.one') });
    expect((await startService(clientAs('intake.one', 'in-pw'))).processInstanceKey).toMatch(/^\d+$/);
  });

  test('authorizations are checked against Camunda 8.8 enums and resource types', async () => {
    const before = await counts();
    const badEnum = await raw('admin', 'POST', '/authorizations', {
      ownerType: 'USER',
      ownerId: 'clerk',
      resourceType: 'SPACESHIP',
      resourceId: '*',
      permissionTypes: ['READ'],
    });
    expect(badEnum.status).toBe(400);
    expect(badEnum.body).toMatchObject({ title: 'INVALID_ARGUMENT' });
    expect(badEnum.body.detail).toContain('resourceType');
    const badPermission = await raw('admin', 'POST', '/authorizations', {
      ownerType: 'USER',
      ownerId: 'clerk',
      resourceType: 'USER',
      resourceId: '*',
      permissionTypes: ['FLY'],
    });
    expect(badPermission.status).toBe(400);
    expect(badPermission.body.detail).toContain('permissionTypes');
    const unspecified = await raw('admin', 'POST', '/authorizations', {
      ownerType: 'UNSPECIFIED',
      ownerId: 'clerk',
      resourceType: 'USER',
      resourceId: '*',
      permissionTypes: ['READ'],
    });
    expect(unspecified.status).toBe(400);
    expect(unspecified.body.detail).toContain('ownerType');
    // Valid enums, but a permission the resource type does not take (the client lets it through).
    const misfit = await failure(
      admin.createAuthorization({
        ownerType: 'USER',
        ownerId: 'clerk',
        resourceType: 'USER',
        resourceId: '*',
        permissionTypes: ['CREATE_PROCESS_INSTANCE'],
      }),
    );
    expect(misfit).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT' });
    expect(misfit.detail).toContain('CREATE_PROCESS_INSTANCE');
    const noOwner = await failure(
      admin.createAuthorization({
        ownerType: 'GROUP',
        ownerId: 'no-such-group',
        resourceType: 'USER',
        resourceId: '*',
        permissionTypes: ['READ'],
      }),
    );
    expect(noOwner).toMatchObject({ status: 404 });
    expect(await counts()).toEqual(before);

    // The same owner and resource twice: 409.
    const duplicate = await failure(
      admin.createAuthorization({
        ownerType: 'ROLE',
        ownerId: 'admin',
        resourceType: 'USER',
        resourceId: '*',
        permissionTypes: ['READ'],
      }),
    );
    expect(duplicate).toMatchObject({ status: 409, title: 'ALREADY_EXISTS' });
  });
});

describe('mapping rules', () => {
  test('create, read, search, update, delete; duplicates 409, unknown 404', async () => {
    const rule = await admin.createMappingRule({
      mappingRuleId: 'dept-billing',
      name: 'Billing department',
      claimName: 'department',
      claimValue: 'billing',
    });
    expect(rule).toEqual({
      mappingRuleId: 'dept-billing',
      name: 'Billing department',
      claimName: 'department',
      claimValue: 'billing',
    });
    expect(await admin.getMappingRule({ mappingRuleId: 'dept-billing' }, now)).toEqual(rule);
    expect(
      await failure(
        admin.createMappingRule({
          mappingRuleId: 'dept-billing',
          name: 'x',
          claimName: 'department',
          claimValue: 'other',
        }),
      ),
    ).toMatchObject({ status: 409 });
    expect(
      await failure(
        admin.createMappingRule({
          mappingRuleId: 'dept-billing-2',
          name: 'x',
          claimName: 'department',
          claimValue: 'billing',
        }),
      ),
    ).toMatchObject({ status: 409 });
    const found = await admin.searchMappingRule({ filter: { claimName: 'department' } }, now);
    expect(found.items).toEqual([rule]);

    const updated = await admin.updateMappingRule({
      mappingRuleId: 'dept-billing',
      name: 'Billing',
      claimName: 'department',
      claimValue: 'finance',
    });
    expect(updated).toEqual({
      mappingRuleId: 'dept-billing',
      name: 'Billing',
      claimName: 'department',
      claimValue: 'finance',
    });

    await admin.createGroup({ groupId: 'finance', name: 'Finance' });
    await admin.assignMappingRuleToGroup({ groupId: 'finance', mappingRuleId: 'dept-billing' });
    const ofGroup = await admin.searchMappingRulesForGroup({ groupId: 'finance' }, now);
    expect(ofGroup.items!.map((r) => r.mappingRuleId)).toEqual(['dept-billing']);

    await admin.deleteMappingRule({ mappingRuleId: 'dept-billing' });
    expect(await failure(admin.getMappingRule({ mappingRuleId: 'dept-billing' }, now))).toMatchObject({
      status: 404,
    });
    expect((await admin.searchMappingRulesForGroup({ groupId: 'finance' }, now)).items).toEqual([]);
    expect(await failure(admin.deleteMappingRule({ mappingRuleId: 'dept-billing' }))).toMatchObject({ status: 404 });
  });
});

describe('who may manage identities', () => {
  const writes = (c: Client) => [
    c.createUser({ username: U('sneaky'), password: 'pw' }, now),
    c.updateUser({ username: U('clerk'), name: 'Renamed' }, now),
    c.deleteUser({ username: U('cashier') }, now),
    c.createRole({ roleId: 'sneaky', name: 'Sneaky' }),
    c.updateRole({ roleId: 'clerk', name: 'x', description: 'y' }),
    c.deleteRole({ roleId: 'crew' }),
    c.assignRoleToUser({ roleId: 'admin', username: U('clerk') }),
    c.unassignRoleFromUser({ roleId: 'clerk', username: U('clerk') }),
    c.createGroup({ groupId: 'sneaky', name: 'Sneaky' }),
    c.createAuthorization({
      ownerType: 'USER',
      ownerId: 'clerk',
      resourceType: 'PROCESS_DEFINITION',
      resourceId: '*',
      permissionTypes: ['CREATE_PROCESS_INSTANCE'],
    }),
    c.createMappingRule({ mappingRuleId: 'sneaky', name: 'x', claimName: 'a', claimValue: 'b' }),
  ];

  test('a clerk gets 403 on every write and every identity read, and changes nothing', async () => {
    const clerk = t.client('clerk');
    const before = await counts();
    for (const attempt of writes(clerk))
      expect(await failure(attempt)).toMatchObject({ status: 403, title: 'FORBIDDEN' });
    expect(await failure(clerk.searchUsers({}, now))).toMatchObject({ status: 403 });
    expect(await failure(clerk.searchAuthorizations({}, now))).toMatchObject({ status: 403 });
    expect(await counts()).toEqual(before);
    expect(await t.db.knex('cis.users').where({ username: 'clerk' }).first('display_name')).toEqual({
      display_name: 'Demo clerk',
    });
  });

  test('an auditor reads everything and gets 403 on every write', async () => {
    const auditor = t.client('auditor');
    expect((await auditor.searchUsers({}, now)).items.length).toBeGreaterThan(5);
    expect(await auditor.getRole({ roleId: 'admin' }, now)).toMatchObject({ roleId: 'admin' });
    expect(Number((await auditor.searchAuthorizations({}, now)).page.totalItems)).toBeGreaterThan(0);
    await auditor.searchGroups({}, now);
    await auditor.searchMappingRule({}, now);
    const before = await counts();
    for (const attempt of writes(auditor))
      expect(await failure(attempt)).toMatchObject({ status: 403, title: 'FORBIDDEN' });
    expect(await counts()).toEqual(before);
  });
});

describe('an engine without an identity directory', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
  });

  test('has no user or role endpoints (404), but groups and authorizations', async () => {
    const res = await fetch(`${engine.url}/v2/users/search`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect((await fetch(`${engine.url}/v2/roles/admin`)).status).toBe(404);
    const groups = await engine.client.searchGroups({}, now);
    expect(groups.items).toEqual([]);
    const auths = await engine.client.searchAuthorizations({ filter: { ownerType: 'ROLE', ownerId: 'admin' } }, now);
    expect(auths.items!.length).toBeGreaterThan(0);
  });
});
