import type Koa from 'koa';
import { z } from 'zod';
import {
  addGroupMember,
  createGroup,
  deleteGroup,
  groupMembers,
  groupSearch,
  mappingRuleSearch,
  mappingRulesOf,
  removeGroupMember,
  requireGroup,
  requireMappingRule,
  rolesOfGroup,
  updateGroup,
  type GroupItem,
  type GroupMemberType,
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
import { roleResult } from './roles.js';
import { requireUser } from './users.js';

const description = z.string().max(4000, 'The provided description exceeds the limit of 4000 characters');
const createBody = z.object({
  groupId: entityId('groupId'),
  name: requiredText('name'),
  description: description.optional(),
});
const updateBody = z.object({ name: requiredText('name'), description });

const groupResult = (g: GroupItem) => ({ groupId: g.groupId, name: g.name, description: g.description });

/**
 * /v2/groups (Camunda 8.8): the engine's own groups. A user's groups add their authorizations and their roles'
 * authorizations to the user's own (engine/store/authorizations.ts). Members are users (checked against the
 * host's directory when there is one), clients and mapping rules.
 */
export const groupRoutes: RouteModule = (router, rt, opts) => {
  const dir = opts.identity;
  const pool = rt.store.pool;
  const record = recorder(rt);
  const groupId = (ctx: Koa.Context) => pathId(ctx, 'groupId');
  const write = (path: string, method: 'post' | 'put' | 'delete', fn: (ctx: Koa.Context) => Promise<void>) =>
    router[method](path, handler(fn));

  write('/groups', 'post', async (ctx) => {
    await requirePermission(ctx, 'GROUP', 'CREATE');
    const body = createBody.parse(await jsonBody(ctx));
    const group = await createGroup(pool, { ...body, description: body.description ?? '' });
    authorizationsChanged(ctx);
    await record(ctx, 'GROUP', 'CREATED', groupResult(group));
    reply(ctx, 201, groupResult(group));
  });

  router.post(
    '/groups/search',
    handler(async (ctx) => {
      await requirePermission(ctx, 'GROUP', 'READ');
      reply(ctx, 200, await runSearch(pool, groupSearch, await searchBody(ctx)));
    }),
  );

  router.get(
    '/groups/:groupId',
    handler(async (ctx) => {
      await requirePermission(ctx, 'GROUP', 'READ');
      reply(ctx, 200, groupResult(await requireGroup(pool, groupId(ctx), 'get')));
    }),
  );

  write('/groups/:groupId', 'put', async (ctx) => {
    await requirePermission(ctx, 'GROUP', 'UPDATE');
    const id = groupId(ctx);
    const body = updateBody.parse(await jsonBody(ctx));
    const group = await updateGroup(pool, id, body);
    authorizationsChanged(ctx);
    await record(ctx, 'GROUP', 'UPDATED', groupResult(group));
    reply(ctx, 200, groupResult(group));
  });

  write('/groups/:groupId', 'delete', async (ctx) => {
    await requirePermission(ctx, 'GROUP', 'DELETE');
    const deleted = await deleteGroup(pool, groupId(ctx));
    authorizationsChanged(ctx);
    await record(ctx, 'GROUP', 'DELETED', groupResult(deleted));
    reply(ctx, 204);
  });

  const members = (
    segment: string,
    param: string,
    type: GroupMemberType,
    check: (id: string, doing: string) => Promise<unknown>,
  ) => {
    for (const method of ['put', 'delete'] as const)
      write(`/groups/:groupId/${segment}/:${param}`, method, async (ctx) => {
        await requirePermission(ctx, 'GROUP', 'UPDATE');
        const id = groupId(ctx);
        const member = pathId(ctx, param, param === 'username' ? username : undefined);
        await requireGroup(pool, id, method === 'put' ? 'add a member to' : 'remove a member from');
        if (method === 'put') {
          await check(member, `add to group '${id}' the`);
          await addGroupMember(pool, id, type, member);
        } else await removeGroupMember(pool, id, type, member);
        authorizationsChanged(ctx);
        const change = { groupId: id, entityId: member, entityType: type };
        await record(ctx, 'GROUP', method === 'put' ? 'ENTITY_ADDED' : 'ENTITY_REMOVED', change);
        reply(ctx, 204);
      });
    router.post(
      `/groups/:groupId/${segment}/search`,
      handler(async (ctx) => {
        await requirePermission(ctx, 'GROUP', 'READ');
        const id = groupId(ctx);
        await requireGroup(pool, id, `search ${segment} of`);
        const body = await searchBody(ctx);
        if (type === 'MAPPING_RULE')
          return reply(ctx, 200, await runSearch(pool, mappingRuleSearch, body, mappingRulesOf('group', id)));
        const field = type === 'USER' ? 'username' : 'clientId';
        reply(ctx, 200, listSearch(await groupMembers(pool, id, type), field, body));
      }),
    );
  };
  // Without a directory the engine cannot tell users apart from typos: any well-formed username is accepted.
  members('users', 'username', 'USER', async (id, doing) => (dir ? requireUser(dir, id, doing) : undefined));
  members('clients', 'clientId', 'CLIENT', async () => undefined);
  members('mapping-rules', 'mappingRuleId', 'MAPPING_RULE', (id, doing) => requireMappingRule(pool, id, doing));

  // Roles of a group: engine.role_member, described by the host's directory (so only with one).
  if (dir)
    router.post(
      '/groups/:groupId/roles/search',
      handler(async (ctx) => {
        await requirePermission(ctx, 'GROUP', 'READ');
        await requirePermission(ctx, 'ROLE', 'READ');
        const id = groupId(ctx);
        await requireGroup(pool, id, 'search roles of');
        const query = directoryQuery(
          await searchBody(ctx),
          { roleId: { plainOnly: true }, name: { plainOnly: true } },
          ['name', 'roleId'] as const,
        );
        const ids = await rolesOfGroup(pool, id);
        const found = await dir.searchRoles({
          ...query,
          where: [...query.where, { field: 'roleId', condition: { op: 'in', values: ids } }],
        });
        reply(ctx, 200, directoryResult({ items: found.items.map(roleResult), total: found.total }, query));
      }),
    );
};
