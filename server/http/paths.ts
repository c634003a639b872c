import type Koa from 'koa';
import { problem } from './problem.js';

/**
 * Which part of the server a path belongs to. Compared without regard to case, so that no spelling of a prefix
 * (`/API/session`, `/Api/customers`) slips past a guard that keys on it: a router that matches case-insensitively
 * would otherwise serve a request the guards took for someone else's.
 */
export const isApiPath = (path: string): boolean => path.toLowerCase().startsWith('/api/');
export const isEnginePath = (path: string): boolean => {
  const p = path.toLowerCase();
  return p === '/v2' || p.startsWith('/v2/');
};

/**
 * `/api/…` and `/v2/…` are spelled in lower case, as every client spells them (Camunda's REST API is
 * case-sensitive too); any other spelling of the prefix is a 404 before a guard, a router or the engine sees it.
 */
export function canonicalPrefixes(): Koa.Middleware {
  return async (ctx, next) => {
    const p = ctx.path;
    const api = isApiPath(p) && !p.startsWith('/api/');
    const engine = isEnginePath(p) && !(p === '/v2' || p.startsWith('/v2/'));
    if (api || engine) throw problem(404, 'Not Found', `no resource at ${ctx.method} ${p} (paths are case-sensitive)`);
    await next();
  };
}
