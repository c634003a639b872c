import type Koa from 'koa';
import { sendProblem } from './problem.js';

export interface AuthOptions {
  auth: 'basic' | 'none';
  authenticate?: (user: string, password: string) => Promise<boolean>;
}

/** HTTP Basic on /v2 (Camunda's Basic auth); the user name becomes the actor of the records. */
export function authMiddleware(opts: AuthOptions): Koa.Middleware {
  return async (ctx, next) => {
    if (opts.auth === 'none') return next();
    const header = ctx.get('authorization');
    const m = /^Basic\s+(.+)$/i.exec(header);
    if (m) {
      const decoded = Buffer.from(m[1], 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i > 0) {
        const user = decoded.slice(0, i);
        if (await opts.authenticate!(user, decoded.slice(i + 1))) {
          ctx.state.engineUser = user;
          return next();
        }
      }
    }
    ctx.set('WWW-Authenticate', 'Basic realm="camunda"');
    sendProblem(ctx, 401, 'Unauthorized', 'The request is not authenticated');
  };
}

export function actorOf(ctx: Koa.Context): string | null {
  return (ctx.state.engineUser as string | undefined) ?? null;
}
