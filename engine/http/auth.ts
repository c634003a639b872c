import type Koa from 'koa';
import type { Principal } from '../authz/principal.js';
import { sendProblem } from './problem.js';
import { FailedAuthentications } from './failed-authentications.js';

export interface AuthOptions {
  auth: 'basic' | 'none';
  /** The principal for a user name and password, or null when they are not accepted. */
  authenticate?: (user: string, password: string) => Promise<Principal | null>;
}

/**
 * HTTP Basic on /v2 (Camunda's Basic auth): the principal becomes the actor of the records and the owner whose
 * grants every route checks. Repeated failures from one address are refused for a while (429), as sign-in is.
 */
/** Camunda's unprotected API paths: answered to anyone, credentials or not (they tell nothing about the data). */
const UNPROTECTED = new Set(['/v2/license', '/v2/status']);

export function authMiddleware(opts: AuthOptions): Koa.Middleware {
  const failures = new FailedAuthentications();
  return async (ctx, next) => {
    if (opts.auth === 'none' || UNPROTECTED.has(ctx.path)) {
      ctx.state.principal = null;
      return next();
    }
    const wait = failures.retryAfter(ctx.ip);
    if (wait > 0) {
      ctx.set('Retry-After', String(wait));
      return sendProblem(ctx, 429, 'TOO_MANY_REQUESTS', 'Too many failed authentications; try again later');
    }
    const m = /^Basic\s+(.+)$/i.exec(ctx.get('authorization'));
    if (m) {
      const decoded = Buffer.from(m[1], 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) {
        const principal = await opts.authenticate!(decoded.slice(0, i), decoded.slice(i + 1));
        if (principal) {
          ctx.state.principal = principal;
          return next();
        }
        failures.failed(ctx.ip);
      }
    }
    ctx.set('WWW-Authenticate', 'Basic realm="camunda"');
    sendProblem(ctx, 401, 'Unauthorized', 'The request is not authenticated');
  };
}

export function principalOf(ctx: Koa.Context): Principal | null {
  return (ctx.state.principal as Principal | null | undefined) ?? null;
}

export function actorOf(ctx: Koa.Context): string | null {
  return principalOf(ctx)?.username ?? null;
}
