import type Koa from 'koa';
import { z } from 'zod';
import type { DirectoryUser, IdentityDirectory } from '../../../authz/directory.js';
import { notFound } from '../../../runtime/errors.js';
import { forgetUser } from '../../../store/identity.js';
import { authorizationsChanged, requirePermission } from '../../authorize.js';
import { jsonBody } from '../../body.js';
import type { RouteModule } from '../../route-module.js';
import { jsonBody as searchBody } from '../../search/problem.js';
import { directoryQuery, directoryResult, handler, pathId, recorder, reply, username } from './common.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const email = z
  .string()
  .max(256, 'The provided email exceeds the limit of 256 characters')
  .refine((v) => v === '' || EMAIL.test(v), { error: (i) => `The provided email '${String(i.input)}' is not valid` });
const password = z.string().max(1000, 'The provided password exceeds the limit of 1000 characters');
const name = z.string().trim().max(256, 'The provided name exceeds the limit of 256 characters');

const createUser = z.object({
  username,
  password: password.min(1, 'No password provided'),
  name: name.optional(),
  email: email.optional(),
});
const updateUser = z.object({ password: password.optional(), name: name.optional(), email: email.optional() });

/** Camunda's UserResult: an absent email is left out (the client's schema takes no null). */
export function userResult(u: DirectoryUser) {
  return { username: u.username, name: u.name, ...(u.email ? { email: u.email } : {}) };
}

export async function requireUser(dir: IdentityDirectory, name: string, doing: string): Promise<DirectoryUser> {
  const user = await dir.getUser(name);
  if (!user)
    throw notFound(`Expected to ${doing} user with username '${name}', but a user with this username does not exist`);
  return user;
}

const userName = (ctx: Koa.Context) => pathId(ctx, 'username', username);

/**
 * /v2/users (Camunda 8.8): the host's users through its IdentityDirectory. Without one these endpoints do not
 * exist. Passwords go to the directory, which stores only their hashes; answers never carry them.
 */
export const userRoutes: RouteModule = (router, rt, opts) => {
  const dir = opts.identity;
  if (!dir) return;
  const pool = rt.store.pool;
  const record = recorder(rt);

  router.post(
    '/users',
    handler(async (ctx) => {
      await requirePermission(ctx, 'USER', 'CREATE');
      const body = createUser.parse(await jsonBody(ctx));
      const user = await dir.createUser({
        username: body.username,
        password: body.password,
        name: body.name || undefined,
        email: body.email || undefined,
      });
      authorizationsChanged(ctx);
      await record(ctx, 'USER', 'CREATED', userResult(user));
      reply(ctx, 201, userResult(user));
    }),
  );

  router.post(
    '/users/search',
    handler(async (ctx) => {
      await requirePermission(ctx, 'USER', 'READ');
      const query = directoryQuery(
        await searchBody(ctx),
        { username: { plainOnly: false }, name: { plainOnly: false }, email: { plainOnly: false } },
        ['username', 'name', 'email'] as const,
      );
      const found = await dir.searchUsers(query);
      reply(ctx, 200, directoryResult({ items: found.items.map(userResult), total: found.total }, query));
    }),
  );

  router.get(
    '/users/:username',
    handler(async (ctx) => {
      await requirePermission(ctx, 'USER', 'READ');
      reply(ctx, 200, userResult(await requireUser(dir, userName(ctx), 'get')));
    }),
  );

  router.put(
    '/users/:username',
    handler(async (ctx) => {
      await requirePermission(ctx, 'USER', 'UPDATE');
      const id = userName(ctx);
      const body = updateUser.parse(await jsonBody(ctx));
      const user = await dir.updateUser(id, {
        password: body.password || undefined,
        name: body.name || undefined,
        email: body.email,
      });
      authorizationsChanged(ctx);
      await record(ctx, 'USER', 'UPDATED', { ...userResult(user), passwordChanged: !!body.password });
      reply(ctx, 200, userResult(user));
    }),
  );

  router.delete(
    '/users/:username',
    handler(async (ctx) => {
      await requirePermission(ctx, 'USER', 'DELETE');
      const id = userName(ctx);
      await dir.deleteUser(id);
      await forgetUser(pool, id);
      authorizationsChanged(ctx);
      await record(ctx, 'USER', 'DELETED', { username: id });
      reply(ctx, 204);
    }),
  );
};
