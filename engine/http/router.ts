import type Koa from 'koa';
import type { Runtime } from '../runtime/runtime.js';

export interface HttpOptions {
  auth: 'basic' | 'none';
  authenticate?: (user: string, password: string) => Promise<boolean>;
}

export function createHttp(_runtime: Runtime, _opts: HttpOptions): Koa.Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/v2/')) return next();
    ctx.status = 501;
  };
}
