import type Koa from 'koa';
import { z } from 'zod';
import type { DirectoryRole, IdentityDirectory } from '../../../authz/directory.js';
import { notFound } from '../../../runtime/errors.js';
import {
  addRoleMember,
  forgetRole,
  groupsOfRoleSearch,
  mappingRuleSearch,
  mappingRulesOf,
  removeRoleMember,
  requireGroup,
  requireMappingRule,
  roleMembers,
  type RoleMemberType,
} from '../../../store/identity.js';
import { runSearch } from '../../../store/search/run.js';
import { authorizationsChanged, requirePermission } from '../../authorize.js';
import { jsonBody } from '../../body.js';
import type { RouteModule } from '../../route-module.js';
import { jsonBody as searchBody } from '../../search/problem.js';
import {
  directoryQuery,
  directoryResult,
  entityId,
  handler,
  listSearch,
  pathId,
  recorder,
  reply,
  requiredText,
  username,
} from './common.js';

const description = z.string().max(4000, 'The provided description exceeds the limit of 4000 characters');
const createRole = z.object({
  roleId: entityId('roleId'),
  name: requiredText('name'),
  description: description.optional(),
});
const updateRole = z.object({ name: requiredText('name'), description });

export function roleResult(r: DirectoryRole) {
  return { roleId: r.roleId, name: r.name, description: r.description };
}

export async function requireRole(dir: IdentityDirectory, roleId: string, doing: string): Promise<DirectoryRole> {
  const role = await dir.getRole(roleId);
  if (!role) throw notFound(`Expected to ${doing} role with ID '${roleId}', but a role with this ID does not exist`);
  return role;
}

/**
 * /v2/roles (Camunda 8.8): the host's roles and their users through its IdentityDirectory; the role's other
 * members (groups, clients, mapping rules) are the engine's. Without a directory these endpoints do not exist.
 */
export const roleRoutes: RouteModule = (router, rt, opts) => {
  const dir = opts.identity;
  if (!dir) return;
  const pool = rt.store.pool;
  const record = recorder(rt);
  const roleId = (ctx: Koa.Context) => pathId(ctx, 'roleId');
  const write = (path: string, method: 'post' | 'put' | 'delete', fn: (ctx: Koa.Context) => Promise<void>) =>
    router[method](path, handler(fn));

  write('/roles', 'post', async (ctx) => {
    await requirePermission(ctx, 'ROLE', 'CREATE');
    const body = createRole.parse(await jsonBody(ctx));
    const role = await dir.createRole({ roleId: body.roleId, name: body.name, description: body.description ?? '' });
    authorizationsChanged(ctx);
    await record(ctx, 'ROLE', 'CREATED', roleResult(role));
    reply(ctx, 201, roleResult(role));
  });

  router.post(
    '/roles/search',
    handler(async (ctx) => {
      await requirePermission(ctx, 'ROLE', 'READ');
      const query = directoryQuery(await searchBody(ctx), { roleId: { plainOnly: true }, name: { plainOnly: true } }, [
        'name',
        'roleId',
      ] as const);
      const found = await dir.searchRoles(query);
      reply(ctx, 200, directoryResult({ items: found.items.map(roleResult), total: found.total }, query));
    }),
  );

  router.get(
    '/roles/:roleId',
    handler(async (ctx) => {
      await requirePermission(ctx, 'ROLE', 'READ');
      reply(ctx, 200, roleResult(await requireRole(dir, roleId(ctx), 'get')));
    }),
  );

  write('/roles/:roleId', 'put', async (ctx) => {
    await requirePermission(ctx, 'ROLE', 'UPDATE');
    const id = roleId(ctx);
    const body = updateRole.parse(await jsonBody(ctx));
    const role = await dir.updateRole(id, body);
    authorizationsChanged(ctx);
    await record(ctx, 'ROLE', 'UPDATED', roleResult(role));
    reply(ctx, 200, roleResult(role));
  });

  write('/roles/:roleId', 'delete', async (ctx) => {
    await requirePermission(ctx, 'ROLE', 'DELETE');
    const id = roleId(ctx);
    await dir.deleteRole(id);
    await forgetRole(pool, id);
    authorizationsChanged(ctx);
    await record(ctx, 'ROLE', 'DELETED', { roleId: id });
    reply(ctx, 204);
  });

  // Users of a role: the directory's memberships (the host's rules apply, e.g. service identities).
  write('/roles/:roleId/users/:username', 'put', async (ctx) => {
    await requirePermission(ctx, 'ROLE', 'UPDATE');
    const [id, user] = [roleId(ctx), pathId(ctx, 'username', username)];
    await dir.assignRole(id, user);
    authorizationsChanged(ctx);
    await record(ctx, 'ROLE', 'ENTITY_ADDED', { roleId: id, entityId: user, entityType: 'USER' });
    reply(ctx, 204);
  });
  write('/roles/:roleId/users/:username', 'delete', async (ctx) => {
    await requirePermission(ctx, 'ROLE', 'UPDATE');
    const [id, user] = [roleId(ctx), pathId(ctx, 'username', username)];
    await dir.unassignRole(id, user);
    authorizationsChanged(ctx);
    await record(ctx, 'ROLE', 'ENTITY_REMOVED', { roleId: id, entityId: user, entityType: 'USER' });
    reply(ctx, 204);
  });
  router.post(
    '/roles/:roleId/users/search',
    handler(async (ctx) => {
      await requirePermission(ctx, 'ROLE', 'READ');
      const id = roleId(ctx);
      await requireRole(dir, id, 'search users of');
      const query = directoryQuery(await searchBody(ctx), {}, ['username'] as const);
      const found = await dir.searchUsers({ ...query, role: id });
      const items = found.items.map((u) => ({ username: u.username }));
      reply(ctx, 200, directoryResult({ items, total: found.total }, query));
    }),
  );

  // Groups, clients and mapping rules of a role: the engine's engine.role_member.
  const members = (
    segment: string,
    param: string,
    type: RoleMemberType,
    check: (ctx: Koa.Context, id: string, doing: string) => Promise<unknown>,
  ) => {
    for (const method of ['put', 'delete'] as const)
      write(`/roles/:roleId/${segment}/:${param}`, method, async (ctx) => {
        await requirePermission(ctx, 'ROLE', 'UPDATE');
        const id = roleId(ctx);
        const member = pathId(ctx, param);
        const doing = method === 'put' ? 'assign a role to' : 'unassign a role from';
        await requireRole(dir, id, method === 'put' ? 'assign a member to' : 'unassign a member from');
        await check(ctx, member, doing);
        if (method === 'put') await addRoleMember(pool, id, type, member);
        else await removeRoleMember(pool, id, type, member);
        authorizationsChanged(ctx);
        const change = { roleId: id, entityId: member, entityType: type };
        await record(ctx, 'ROLE', method === 'put' ? 'ENTITY_ADDED' : 'ENTITY_REMOVED', change);
        reply(ctx, 204);
      });
  };
  members('groups', 'groupId', 'GROUP', (_ctx, id, doing) => requireGroup(pool, id, doing));
  members('mapping-rules', 'mappingRuleId', 'MAPPING_RULE', (_ctx, id, doing) => requireMappingRule(pool, id, doing));
  members('clients', 'clientId', 'CLIENT', async () => {});

  router.post(
    '/roles/:roleId/groups/search',
    handler(async (ctx) => {
      await requirePermission(ctx, 'ROLE', 'READ');
      const id = roleId(ctx);
      await requireRole(dir, id, 'search groups of');
      reply(ctx, 200, await runSearch(pool, groupsOfRoleSearch(id), await searchBody(ctx)));
    }),
  );
  router.post(
    '/roles/:roleId/mapping-rules/search',
    handler(async (ctx) => {
      await requirePermission(ctx, 'ROLE', 'READ');
      const id = roleId(ctx);
      await requireRole(dir, id, 'search mapping rules of');
      reply(ctx, 200, await runSearch(pool, mappingRuleSearch, await searchBody(ctx), mappingRulesOf('role', id)));
    }),
  );
  router.post(
    '/roles/:roleId/clients/search',
    handler(async (ctx) => {
      await requirePermission(ctx, 'ROLE', 'READ');
      const id = roleId(ctx);
      await requireRole(dir, id, 'search clients of');
      reply(ctx, 200, listSearch(await roleMembers(pool, id, 'CLIENT'), 'clientId', await searchBody(ctx)));
    }),
  );
};
