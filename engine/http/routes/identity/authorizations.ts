import type Koa from 'koa';
import { z } from 'zod';
import type { IdentityDirectory } from '../../../authz/directory.js';
import { invalidArgument, notFound } from '../../../runtime/errors.js';
import {
  authorizationSearch,
  createAuthorization,
  deleteAuthorization,
  getAuthorization,
  getGroup,
  getMappingRule,
  OWNER_TYPES,
  updateAuthorization,
  type AuthorizationInput,
} from '../../../store/identity.js';
import { runSearch } from '../../../store/search/run.js';
import { authorizationsChanged, requirePermission } from '../../authorize.js';
import { jsonBody } from '../../body.js';
import type { RouteModule } from '../../route-module.js';
import { jsonBody as searchBody } from '../../search/problem.js';
import { handler, pathId, recorder, reply } from './common.js';
import type pg from 'pg';
import { PERMISSIONS_BY_RESOURCE, PERMISSION_TYPES, RESOURCE_TYPES } from '../../../authz/permissions.js';

const request = z.object({
  ownerId: z.string({ error: 'No ownerId provided' }).trim().min(1, 'No ownerId provided').max(256),
  ownerType: z.enum(OWNER_TYPES, {
    error: `Expected one of ${OWNER_TYPES.join(', ')} (UNSPECIFIED is no owner type for an authorization)`,
  }),
  resourceId: z.string({ error: 'No resourceId provided' }).trim().min(1, 'No resourceId provided').max(256),
  resourceType: z.enum(RESOURCE_TYPES, { error: `Expected one of ${RESOURCE_TYPES.join(', ')}` }),
  permissionTypes: z
    .array(z.enum(PERMISSION_TYPES, { error: `Expected one of ${PERMISSION_TYPES.join(', ')}` }), {
      error: 'No permissionTypes provided',
    })
    .min(1, 'No permissionTypes provided'),
});

/** The body, validated as Camunda does: the enums, and every permission one that the resource type takes. */
export function parseAuthorization(body: unknown): AuthorizationInput {
  const a = request.parse(body);
  const supported = PERMISSIONS_BY_RESOURCE[a.resourceType];
  const unsupported = a.permissionTypes.filter((p) => !supported.includes(p));
  if (unsupported.length)
    throw invalidArgument(
      `Request property [permissionTypes] is invalid: Expected to create authorization with permission types '[${unsupported.join(', ')}]' and resource type '${a.resourceType}', but these permissions are not supported. Supported permission types are: '[${supported.join(', ')}]'`,
    );
  return { ...a, permissionTypes: [...new Set(a.permissionTypes)] };
}

/** An authorization's owner must exist (clients are not stored: any client id will do). */
async function requireOwner(pool: pg.Pool, dir: IdentityDirectory | undefined, a: AuthorizationInput) {
  const missing = (what: string) =>
    notFound(
      `Expected to create or update authorization with ownerId '${a.ownerId}', but a ${what} with this ID does not exist`,
    );
  switch (a.ownerType) {
    case 'USER':
      if (dir && !(await dir.getUser(a.ownerId))) throw missing('user');
      return;
    case 'ROLE':
      if (dir && !(await dir.getRole(a.ownerId))) throw missing('role');
      return;
    case 'GROUP':
      if (!(await getGroup(pool, a.ownerId))) throw missing('group');
      return;
    case 'MAPPING_RULE':
      if (!(await getMappingRule(pool, a.ownerId))) throw missing('mapping rule');
      return;
    case 'CLIENT':
      return;
  }
}

/**
 * /v2/authorizations (Camunda 8.8): the rows every /v2 route checks (engine/http/authorize.ts). A change takes
 * effect at once in this engine process (its grant cache is cleared), within seconds in others.
 */
export const authorizationRoutes: RouteModule = (router, rt, opts) => {
  const pool = rt.store.pool;
  const record = recorder(rt);
  const key = (ctx: Koa.Context) =>
    pathId(ctx, 'authorizationKey', z.string().regex(/^\d{1,19}$/, 'expected a key (a string of digits)'));
  const search = authorizationSearch(RESOURCE_TYPES);

  router.post(
    '/authorizations',
    handler(async (ctx) => {
      await requirePermission(ctx, 'AUTHORIZATION', 'CREATE');
      const a = parseAuthorization(await jsonBody(ctx));
      await requireOwner(pool, opts.identity, a);
      const created = await createAuthorization(pool, a);
      authorizationsChanged(ctx);
      await record(ctx, 'AUTHORIZATION', 'CREATED', created, created.authorizationKey);
      reply(ctx, 201, { authorizationKey: created.authorizationKey });
    }),
  );

  router.post(
    '/authorizations/search',
    handler(async (ctx) => {
      await requirePermission(ctx, 'AUTHORIZATION', 'READ');
      reply(ctx, 200, await runSearch(pool, search, await searchBody(ctx)));
    }),
  );

  router.get(
    '/authorizations/:authorizationKey',
    handler(async (ctx) => {
      await requirePermission(ctx, 'AUTHORIZATION', 'READ');
      reply(ctx, 200, await getAuthorization(pool, key(ctx)));
    }),
  );

  router.put(
    '/authorizations/:authorizationKey',
    handler(async (ctx) => {
      await requirePermission(ctx, 'AUTHORIZATION', 'UPDATE');
      const k = key(ctx);
      const a = parseAuthorization(await jsonBody(ctx));
      await requireOwner(pool, opts.identity, a);
      await updateAuthorization(pool, k, a);
      authorizationsChanged(ctx);
      await record(ctx, 'AUTHORIZATION', 'UPDATED', { authorizationKey: k, ...a }, k);
      reply(ctx, 204);
    }),
  );

  router.delete(
    '/authorizations/:authorizationKey',
    handler(async (ctx) => {
      await requirePermission(ctx, 'AUTHORIZATION', 'DELETE');
      const deleted = await deleteAuthorization(pool, key(ctx));
      authorizationsChanged(ctx);
      await record(ctx, 'AUTHORIZATION', 'DELETED', deleted, deleted.authorizationKey);
      reply(ctx, 204);
    }),
  );
};
