import type Koa from 'koa';
import { isApiPath } from './paths.js';
import { problem } from './problem.js';

export const CSRF_HEADER = 'X-Aquaflow-Request';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const SESSION_PATHS = new Set(['/api/session', '/api/session/']);
/** Signing in or out; compared without regard to case, as the paths are matched by the routers. */
const isSessionPath = (path: string): boolean => SESSION_PATHS.has(path.toLowerCase());

/**
 * Cross-site request forgery guard for /api writes: the session cookie is SameSite=strict, and every write
 * must carry a custom header (a cross-site form cannot set one; cross-site fetch needs a CORS preflight we never
 * grant) and, when the browser sends an Origin, come from our own origin. Signing in is exempt from the header
 * (there is no session to ride on yet) but not from the Origin check. Paths are compared without regard to case
 * (see paths.ts): `/API/session` is guarded like `/api/session`.
 */
export function csrfGuard(): Koa.Middleware {
  return async (ctx, next) => {
    if (!isApiPath(ctx.path) || SAFE.has(ctx.method)) return next();
    const origin = ctx.get('Origin');
    // Our own origin from protocol and Host (Koa 3's ctx.origin echoes the Origin header, so it cannot be used).
    if (origin && origin !== `${ctx.protocol}://${ctx.host}`)
      throw problem(403, 'Forbidden', `cross-origin request from ${origin} refused`);
    const signIn = isSessionPath(ctx.path) && ctx.method === 'POST';
    if (!signIn && !ctx.get(CSRF_HEADER))
      throw problem(403, 'Forbidden', `a write needs the ${CSRF_HEADER} header (CSRF protection)`);
    await next();
  };
}

/** Auditors read everything and change nothing: a write by a user with no other role is refused outright. */
export function readOnlyRoles(readOnly = ['auditor']): Koa.Middleware {
  return async (ctx, next) => {
    const user = ctx.state.user as { roles: string[] } | null | undefined;
    const write = isApiPath(ctx.path) && !SAFE.has(ctx.method) && !isSessionPath(ctx.path);
    if (write && user && user.roles.every((r) => readOnly.includes(r)))
      throw problem(403, 'Forbidden', 'auditors may read everything but change nothing');
    await next();
  };
}
