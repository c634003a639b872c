import type Koa from 'koa';
import { problem } from './problem.js';

export const CSRF_HEADER = 'X-Aquaflow-Request';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery guard for /api writes: the session cookie is SameSite=strict, and every write
 * must carry a custom header (a cross-site form cannot set one; cross-site fetch needs a CORS preflight we never
 * grant) and, when the browser sends an Origin, come from our own origin. Signing in is exempt from the header
 * (there is no session to ride on yet) but not from the Origin check.
 */
export function csrfGuard(): Koa.Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/') || SAFE.has(ctx.method)) return next();
    const origin = ctx.get('Origin');
    // Our own origin from protocol and Host (Koa 3's ctx.origin echoes the Origin header, so it cannot be used).
    if (origin && origin !== `${ctx.protocol}://${ctx.host}`)
      throw problem(403, 'Forbidden', `cross-origin request from ${origin} refused`);
    const signIn = ctx.path === '/api/session' && ctx.method === 'POST';
    if (!signIn && !ctx.get(CSRF_HEADER))
      throw problem(403, 'Forbidden', `a write needs the ${CSRF_HEADER} header (CSRF protection)`);
    await next();
  };
}

/** Auditors read everything and change nothing: a write by a user with no other role is refused outright. */
export function readOnlyRoles(readOnly = ['auditor']): Koa.Middleware {
  return async (ctx, next) => {
    const user = ctx.state.user as { roles: string[] } | null | undefined;
    const write = ctx.path.startsWith('/api/') && !SAFE.has(ctx.method) && ctx.path !== '/api/session';
    if (write && user && user.roles.every((r) => readOnly.includes(r)))
      throw problem(403, 'Forbidden', 'auditors may read everything but change nothing');
    await next();
  };
}
