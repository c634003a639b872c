import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { PermissionTypeEnum, ResourceTypeEnum } from '@camunda8/orchestration-cluster-api';
import type * as Contract from '../../contracts/admin.js';
import type { AdminUser } from '../../contracts/admin.js';
import { WORKER_ROLE } from '../auth/engine-principals.js';
import { requireUser } from '../auth/routes.js';
import { activeFlags, setUserActive } from '../auth/user-admin.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { READ } from '../camunda/consistency.js';
import { engineProblem, engineStatus } from '../camunda/errors.js';
import { PERMISSIONS_BY_RESOURCE, RESOURCE_TYPES } from '../camunda/permissions.js';
import { problem, Problem } from '../http/problem.js';

/** Admins manage users, roles and authorizations; auditors read them and change nothing (DESIGN §5). */
const IDENTITY_ADMINS = ['admin'];
const IDENTITY_READERS = ['admin', 'auditor'];

type Client = ReturnType<EngineClients['forUser']>;

export type { AdminUser };
export type RoleAuthorization = Contract.RoleAuthorization<ResourceTypeEnum, PermissionTypeEnum>;
export type AdminRole = Contract.AdminRole<ResourceTypeEnum, PermissionTypeEnum>;

// Camunda 8.8's username rule; 100 characters is what the sign-in form takes.
const Username = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_@.+-]+$/, 'letters, digits and _ @ . + - only');
const DisplayName = z.string().trim().min(1).max(100);
const Password = z.string().min(8, 'at least 8 characters').max(1000);
const Roles = z.array(z.string().trim().min(1).max(256)).min(1, 'at least one role').max(50);
const NewUser = z.object({ username: Username, displayName: DisplayName, password: Password, roles: Roles });
const UserChange = z.object({
  displayName: DisplayName.optional(),
  password: Password.optional(),
  roles: Roles.optional(),
});
const Grant = z.object({
  roleId: z.string().trim().min(1).max(256),
  resourceType: z.enum(RESOURCE_TYPES),
  resourceId: z.string().trim().min(1).max(256),
  permissionTypes: z.array(z.string()).min(1, 'at least one permission'),
});
const PermissionChange = z.object({ permissionTypes: z.array(z.string()).min(1, 'at least one permission') });
const RoleFilter = z.object({ roleId: z.string().trim().min(1).max(256).optional() });

/**
 * Without these the admin role could revoke its own way back into this screen (the engine would then refuse every
 * admin); the engine's default grants give them to `admin` on every resource (`*`).
 */
const ADMIN_LIFELINE: Partial<Record<ResourceTypeEnum, PermissionTypeEnum[]>> = {
  AUTHORIZATION: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
  USER: ['CREATE', 'READ', 'UPDATE'],
  ROLE: ['READ', 'UPDATE'],
};

/** 422 naming the first field the body got wrong (the screen marks that field). */
function invalid(error: z.ZodError): Problem {
  const errors = error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
  const field = errors[0].field.split('.')[0];
  return problem(422, 'Unprocessable Content', `${errors[0].field}: ${errors[0].message}`, {
    code: 'invalid',
    field,
    errors,
  });
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw invalid(r.error);
  return r.data;
}

const detailOf = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && typeof (err as { detail?: unknown }).detail === 'string'
    ? (err as { detail: string }).detail
    : undefined;

/**
 * An error of the official client as the browser gets it: the engine's refusal (403) and its conflicts (409, e.g.
 * the worker rule) keep their status, the engine's own words and a code the screen translates.
 */
function fromEngine(err: unknown, conflict?: { code: string; field: string }): Problem {
  if (err instanceof Problem) return err;
  const status = engineStatus(err);
  const detail = detailOf(err);
  if (status === 403)
    return problem(403, 'Forbidden', `the process engine refused: ${detail ?? 'missing permission'}`, {
      code: 'engine-forbidden',
    });
  if (status === 404) return problem(404, 'Not Found', detail, { code: 'not-found' });
  if (status === 409 && conflict) return problem(409, 'Conflict', detail, { ...conflict, engineDetail: detail });
  return engineProblem(err);
}

/** Every item of a Camunda search, page after page (identity lists are short; this keeps them whole). */
async function everything<T>(
  search: (page: { from: number; limit: number }) => Promise<{ items?: T[]; page: { totalItems: number } }>,
): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const found = await search({ from: all.length, limit: 500 });
    const items = found.items ?? [];
    all.push(...items);
    if (!items.length || all.length >= found.page.totalItems) return all;
  }
}

async function rolesWithMembers(client: Client): Promise<Array<Omit<AdminRole, 'authorizations'>>> {
  const roles = await everything((page) => client.searchRoles({ sort: [{ field: 'roleId' }], page }, READ));
  return Promise.all(
    roles.map(async (r) => {
      const roleId = String(r.roleId);
      const members = await everything((page) =>
        client.searchUsersForRole({ roleId, sort: [{ field: 'username' }], page }, READ),
      );
      return {
        roleId,
        name: r.name ?? roleId,
        description: r.description ?? '',
        members: members.map((m) => String(m.username)),
      };
    }),
  );
}

async function roleAuthorizations(client: Client, roleId?: string): Promise<RoleAuthorization[]> {
  const found = await everything((page) =>
    client.searchAuthorizations(
      {
        filter: { ownerType: 'ROLE', ...(roleId ? { ownerId: roleId } : {}) },
        sort: [{ field: 'ownerId' }, { field: 'resourceType' }, { field: 'resourceId' }],
        page,
      },
      READ,
    ),
  );
  return found.map((a) => ({
    authorizationKey: String(a.authorizationKey),
    roleId: String(a.ownerId),
    resourceType: a.resourceType!,
    resourceId: String(a.resourceId),
    permissionTypes: a.permissionTypes ?? [],
  }));
}

function checkPermissions(resourceType: ResourceTypeEnum, permissions: string[]): PermissionTypeEnum[] {
  const supported: readonly string[] = PERMISSIONS_BY_RESOURCE[resourceType];
  const unsupported = permissions.filter((p) => !supported.includes(p));
  if (unsupported.length)
    throw problem(
      422,
      'Unprocessable Content',
      `permissionTypes: ${unsupported.join(', ')} do not apply to ${resourceType} (it takes ${supported.join(', ')})`,
      { code: 'invalid', field: 'permissionTypes' },
    );
  return [...new Set(permissions)] as PermissionTypeEnum[];
}

function guardLifeline(a: { roleId: string; resourceType: ResourceTypeEnum; resourceId: string }, keep: string[]) {
  const needed = a.roleId === 'admin' && a.resourceId === '*' ? (ADMIN_LIFELINE[a.resourceType] ?? []) : [];
  const lost = needed.filter((p) => !keep.includes(p));
  if (lost.length)
    throw problem(
      409,
      'Conflict',
      `the role admin keeps ${lost.join(', ')} on every ${a.resourceType}: without it no administrator could manage users and permissions`,
      { code: 'admin-lifeline', field: 'permissionTypes' },
    );
}

/**
 * What a 409 on one membership step means: the worker rule when the worker role meets a person's role, the
 * engine's last-admin rule when the role admin is taken away, another conflict otherwise.
 */
function roleConflict(step: 'assign' | 'unassign', roleId: string, wanted: string[]) {
  const worker = step === 'assign' && (roleId === WORKER_ROLE || wanted.includes(WORKER_ROLE));
  const lastAdmin = step === 'unassign' && roleId === 'admin';
  return { code: worker ? 'worker-combined' : lastAdmin ? 'last-admin' : 'role-conflict', field: 'roles' };
}

/** A call through the official client whose refusal becomes the browser's problem (see fromEngine). */
const viaEngine = <T>(call: Promise<T>, conflict?: { code: string; field: string }): Promise<T> =>
  call.catch((err: unknown) => {
    throw fromEngine(err, conflict);
  });

/**
 * /api/admin: users, roles and their authorizations for the admin screen. Everything goes to the engine's Camunda
 * 8.8 identity API (/v2/users, /v2/roles, /v2/authorizations) through the official client as the signed-in
 * admin, so the engine's authorizations apply on top of the role check here; only the active flag, which
 * Camunda's users do not have, is Aquaflow's own (server/auth/user-admin.ts).
 */
export function adminRouter(knex: Knex, clients: EngineClients): Router {
  const router = new Router({ prefix: '/api/admin' });
  const me = (ctx: Koa.Context) => ctx.state.user as User;
  const engine = (ctx: Koa.Context) => clients.forUser(me(ctx).username);
  const body = (ctx: Koa.Context): unknown => (ctx.request as Koa.Request & { body?: unknown }).body;
  const username = (ctx: Koa.Context) => {
    const r = Username.safeParse(ctx.params.username);
    if (!r.success) throw problem(404, 'Not Found', `no user ${ctx.params.username}`, { code: 'not-found' });
    return r.data;
  };

  async function listUsers(client: Client): Promise<AdminUser[]> {
    const [users, roles] = await Promise.all([
      everything((page) => client.searchUsers({ sort: [{ field: 'username' }], page }, READ)),
      rolesWithMembers(client),
    ]);
    const active = await activeFlags(
      knex,
      users.map((u) => String(u.username)),
    );
    return users.map((u) => {
      const name = String(u.username);
      return {
        username: name,
        displayName: u.name || name,
        email: u.email || null,
        roles: roles.filter((r) => r.members.includes(name)).map((r) => r.roleId),
        active: active.get(name) ?? true,
      };
    });
  }

  async function oneUser(client: Client, name: string): Promise<AdminUser> {
    const user = (await listUsers(client)).find((u) => u.username === name);
    if (!user) throw problem(404, 'Not Found', `no user ${name}`, { code: 'not-found' });
    return user;
  }

  /** Role ids the engine knows; an unknown one in the body is a 422 on `roles`. */
  async function checkRoles(client: Client, wanted: string[]): Promise<void> {
    const known = new Set(
      (await everything((page) => client.searchRoles({ page }, READ))).map((r) => String(r.roleId)),
    );
    const unknown = wanted.filter((r) => !known.has(r));
    if (unknown.length)
      throw problem(422, 'Unprocessable Content', `roles: no role ${unknown.join(', ')}`, {
        code: 'unknown-role',
        field: 'roles',
      });
  }

  /**
   * Takes away `remove`, then gives `add` (so a change from person roles to worker passes the engine's rule). When
   * the engine refuses one step, the steps done so far are undone: the user keeps the roles they had.
   */
  async function changeRoles(client: Client, name: string, remove: string[], add: string[], wanted: string[]) {
    const member = (roleId: string) => ({ roleId, username: name as never });
    const steps = [
      ...remove.map((roleId) => ({ step: 'unassign' as const, roleId })),
      ...add.map((roleId) => ({ step: 'assign' as const, roleId })),
    ];
    const done: Array<() => Promise<unknown>> = [];
    for (const { step, roleId } of steps) {
      try {
        if (step === 'unassign') await client.unassignRoleFromUser(member(roleId));
        else await client.assignRoleToUser(member(roleId));
      } catch (err) {
        for (const undo of done.reverse()) await undo().catch(() => undefined); // best effort; the refusal is the news
        throw fromEngine(err, roleConflict(step, roleId, wanted));
      }
      done.push(() =>
        step === 'unassign' ? client.assignRoleToUser(member(roleId)) : client.unassignRoleFromUser(member(roleId)),
      );
    }
  }

  router.get('/users', requireUser(...IDENTITY_READERS), async (ctx) => {
    ctx.body = { items: await viaEngine(listUsers(engine(ctx))) };
  });

  router.post('/users', requireUser(...IDENTITY_ADMINS), async (ctx) => {
    const input = parse(NewUser, body(ctx));
    const roles = [...new Set(input.roles)].sort();
    const client = engine(ctx);
    await viaEngine(checkRoles(client, roles));
    await viaEngine(
      client.createUser({ username: input.username, password: input.password, name: input.displayName }, READ),
      { code: 'username-taken', field: 'username' },
    );
    try {
      await changeRoles(client, input.username, [], roles, roles);
    } catch (err) {
      // A user the engine would not give these roles is not left behind half made.
      await client.deleteUser({ username: input.username as never }, READ).catch(() => undefined);
      throw err;
    }
    ctx.status = 201;
    ctx.set('Location', `/api/admin/users/${encodeURIComponent(input.username)}`);
    ctx.body = await viaEngine(oneUser(client, input.username));
  });

  router.patch('/users/:username', requireUser(...IDENTITY_ADMINS), async (ctx) => {
    const name = username(ctx);
    const change = parse(UserChange, body(ctx));
    const client = engine(ctx);
    const before = await viaEngine(oneUser(client, name));
    const wanted = change.roles ? [...new Set(change.roles)].sort() : before.roles;
    if (name === me(ctx).username && !wanted.includes('admin'))
      throw problem(409, 'Conflict', 'roles: you cannot take the admin role from yourself', {
        code: 'own-admin-role',
        field: 'roles',
      });
    if (change.roles) await viaEngine(checkRoles(client, wanted));
    const remove = before.roles.filter((r) => !wanted.includes(r));
    const add = wanted.filter((r) => !before.roles.includes(r));
    await changeRoles(client, name, remove, add, wanted);
    if (change.displayName !== undefined || change.password !== undefined) {
      await viaEngine(
        client.updateUser({ username: name as never, name: change.displayName, password: change.password }, READ),
      );
    }
    ctx.body = await viaEngine(oneUser(client, name));
  });

  // Camunda's users cannot be deactivated through /v2 (UserUpdateRequest has no such field): the flag is
  // Aquaflow's. An empty update through /v2 first makes the engine check that the admin may update this user (its
  // record log then names the admin who touched the user; cis.audit_log says what changed).
  for (const [path, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    router.post(`/users/:username/${path}`, requireUser(...IDENTITY_ADMINS), async (ctx) => {
      const name = username(ctx);
      if (!active && name === me(ctx).username)
        throw problem(409, 'Conflict', 'you cannot deactivate yourself', { code: 'self-deactivate', field: 'active' });
      const client = engine(ctx);
      await viaEngine(client.updateUser({ username: name as never }, READ));
      if (!(await setUserActive(knex, name, active, me(ctx).username)))
        throw problem(404, 'Not Found', `no user ${name} in Aquaflow's user table`, { code: 'not-found' });
      ctx.body = await viaEngine(oneUser(client, name));
    });
  }

  router.get('/roles', requireUser(...IDENTITY_READERS), async (ctx) => {
    const client = engine(ctx);
    const [roles, grants] = await viaEngine(Promise.all([rolesWithMembers(client), roleAuthorizations(client)]));
    const items: AdminRole[] = roles.map((r) => ({
      ...r,
      authorizations: grants.filter((a) => a.roleId === r.roleId),
    }));
    ctx.body = { items };
  });

  router.get('/authorizations', requireUser(...IDENTITY_READERS), async (ctx) => {
    const { roleId } = parse(RoleFilter, ctx.query);
    ctx.body = { items: await viaEngine(roleAuthorizations(engine(ctx), roleId)) };
  });

  // What the grant form offers: the permissions each resource type takes, and the deployed processes by name.
  router.get('/authorizations/catalogue', requireUser(...IDENTITY_READERS), async (ctx) => {
    try {
      const definitions = await everything((page) =>
        engine(ctx).searchProcessDefinitions(
          { sort: [{ field: 'processDefinitionId' }, { field: 'version', order: 'DESC' }], page },
          READ,
        ),
      );
      const processes = new Map<string, string>();
      for (const d of definitions) {
        const id = String(d.processDefinitionId);
        if (!processes.has(id)) processes.set(id, d.name || id); // the latest version's name
      }
      ctx.body = {
        resourceTypes: RESOURCE_TYPES.map((resourceType) => ({
          resourceType,
          permissionTypes: PERMISSIONS_BY_RESOURCE[resourceType],
        })),
        processes: [...processes].map(([processDefinitionId, name]) => ({ processDefinitionId, name })),
      };
    } catch (err) {
      throw fromEngine(err);
    }
  });

  // Granting adds permissions: to the role's authorization on that resource when it has one, else a new one.
  router.post('/authorizations', requireUser(...IDENTITY_ADMINS), async (ctx) => {
    const grant = parse(Grant, body(ctx));
    const permissions = checkPermissions(grant.resourceType, grant.permissionTypes);
    const client = engine(ctx);
    try {
      await client.getRole({ roleId: grant.roleId }, READ);
    } catch (err) {
      if (engineStatus(err) === 404)
        throw problem(422, 'Unprocessable Content', `roleId: no role ${grant.roleId}`, {
          code: 'unknown-role',
          field: 'roleId',
        });
      throw fromEngine(err);
    }
    try {
      const existing = (await roleAuthorizations(client, grant.roleId)).find(
        (a) => a.resourceType === grant.resourceType && a.resourceId === grant.resourceId,
      );
      const target = {
        ownerId: grant.roleId,
        ownerType: 'ROLE' as const,
        resourceType: grant.resourceType,
        resourceId: grant.resourceId,
      };
      let key: string;
      if (existing) {
        key = existing.authorizationKey;
        const merged = [...new Set([...existing.permissionTypes, ...permissions])];
        if (merged.length > existing.permissionTypes.length)
          await client.updateAuthorization({ authorizationKey: key as never, ...target, permissionTypes: merged });
        ctx.status = 200;
      } else {
        const created = await client.createAuthorization({ ...target, permissionTypes: permissions });
        key = String(created.authorizationKey);
        ctx.status = 201;
      }
      ctx.body = (await roleAuthorizations(client, grant.roleId)).find((a) => a.authorizationKey === key);
    } catch (err) {
      throw fromEngine(err);
    }
  });

  async function authorization(client: Client, key: string): Promise<RoleAuthorization> {
    if (!/^\d{1,19}$/.test(key)) throw problem(404, 'Not Found', `no authorization ${key}`, { code: 'not-found' });
    try {
      const a = await client.getAuthorization({ authorizationKey: key as never }, READ);
      if (a.ownerType !== 'ROLE')
        throw problem(404, 'Not Found', `no role authorization ${key}`, { code: 'not-found' });
      return {
        authorizationKey: key,
        roleId: String(a.ownerId),
        resourceType: a.resourceType!,
        resourceId: String(a.resourceId),
        permissionTypes: a.permissionTypes ?? [],
      };
    } catch (err) {
      throw fromEngine(err);
    }
  }

  // Revoking some permissions: the authorization keeps the rest (revoking all of them is DELETE).
  router.put('/authorizations/:key', requireUser(...IDENTITY_ADMINS), async (ctx) => {
    const { permissionTypes } = parse(PermissionChange, body(ctx));
    const client = engine(ctx);
    const before = await authorization(client, ctx.params.key);
    const permissions = checkPermissions(before.resourceType, permissionTypes);
    guardLifeline(before, permissions);
    await viaEngine(
      client.updateAuthorization({
        authorizationKey: before.authorizationKey as never,
        ownerId: before.roleId,
        ownerType: 'ROLE',
        resourceType: before.resourceType,
        resourceId: before.resourceId,
        permissionTypes: permissions,
      }),
    );
    ctx.body = { ...before, permissionTypes: permissions };
  });

  router.delete('/authorizations/:key', requireUser(...IDENTITY_ADMINS), async (ctx) => {
    const client = engine(ctx);
    const before = await authorization(client, ctx.params.key);
    guardLifeline(before, []);
    await viaEngine(client.deleteAuthorization({ authorizationKey: before.authorizationKey as never }));
    ctx.status = 204;
  });

  return router;
}
