import Router from '@koa/router';
import type Koa from 'koa';
import type { Knex } from 'knex';
import { z } from 'zod';
import { problem } from '../http/problem.js';
import { LoginThrottle } from './login-throttle.js';
import { closeSession, openSession, sessionUser } from './sessions.js';
import { userByCredentials, type User } from './users.js';
import { WORKER_ROLE } from './engine-principals.js';

export const SESSION_COOKIE = 'aquaflow_session';

const credentials = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
});

/** Puts the signed-in user, if any, on `ctx.state.user`. */
export function loadSession(knex: Knex): Koa.Middleware {
  return async (ctx, next) => {
    const token = ctx.cookies.get(SESSION_COOKIE);
    if (token) ctx.state.user = await sessionUser(knex, token);
    await next();
  };
}

/** Guards a route: 401 without a session, 403 without one of the roles (when given). */
export function requireUser(...roles: string[]): Koa.Middleware {
  return async (ctx, next) => {
    const user: User | null | undefined = ctx.state.user;
    if (!user) throw problem(401, 'Unauthorized', 'sign in first');
    if (roles.length && !roles.some((r) => user.roles.includes(r))) {
      throw problem(403, 'Forbidden', `needs one of the roles: ${roles.join(', ')}`);
    }
    await next();
  };
}

/** POST /api/session signs in, GET tells who is signed in, DELETE signs out. */
export function sessionRoutes(knex: Knex, ttlHours: number, throttle = new LoginThrottle()): Router {
  // Case-sensitive like every path under /api (see server/http/paths.ts): /API/session is no sign-in.
  const router = new Router({ prefix: '/api/session', sensitive: true });

  router.post('/', async (ctx) => {
    const { username, password } = credentials.parse(ctx.request.body ?? {});
    const attempt = `${ctx.ip}|${username.toLowerCase()}`;
    const wait = throttle.retryAfter(attempt);
    if (wait) {
      ctx.set('Retry-After', String(wait));
      throw problem(429, 'Too Many Requests', `too many failed sign-ins: try again in ${wait} s`);
    }
    const user = await userByCredentials(knex, username, password);
    if (!user) {
      throttle.failed(attempt);
      throw problem(401, 'Unauthorized', 'unknown user name or wrong password');
    }
    throttle.succeeded(attempt);
    if (user.roles.includes(WORKER_ROLE))
      throw problem(403, 'Forbidden', 'a service identity (role worker) cannot sign in; it only runs job workers');
    const token = await openSession(knex, user.id, ttlHours);
    ctx.cookies.set(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.secure,
      path: '/',
      maxAge: ttlHours * 3600 * 1000,
    });
    ctx.status = 201;
    ctx.body = { user };
  });

  router.get('/', requireUser(), (ctx) => {
    ctx.body = { user: ctx.state.user };
  });

  router.delete('/', async (ctx) => {
    const token = ctx.cookies.get(SESSION_COOKIE);
    if (token) await closeSession(knex, token);
    ctx.cookies.set(SESSION_COOKIE, null, { path: '/' });
    ctx.status = 204;
  });

  return router;
}
