import fs from 'node:fs';
import path from 'node:path';
import type Koa from 'koa';
import send from 'koa-send';

// Paths owned by the APIs: never answered with the web app, so a typo in an API call gets a 404, not HTML.
const API_PREFIXES = ['/api/', '/v2/'];

/**
 * Serves the built web app. Hashed assets are cached for good; any other GET that accepts HTML gets
 * index.html, so vue-router's history mode works on reload and deep links.
 */
export function staticWeb(distDir: string): Koa.Middleware {
  const root = path.resolve(distDir);
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || API_PREFIXES.some((p) => ctx.path.startsWith(p))) {
      return next();
    }
    if (ctx.path !== '/' && (await serveFile(ctx, root, ctx.path))) return;
    // A path with a file extension is a missing file, not a page of the app: it gets a 404.
    if (!path.extname(ctx.path) && ctx.accepts('html') && fs.existsSync(path.join(root, 'index.html'))) {
      ctx.set('Cache-Control', 'no-cache');
      await send(ctx, 'index.html', { root });
      return;
    }
    return next();
  };
}

async function serveFile(ctx: Koa.Context, root: string, urlPath: string): Promise<boolean> {
  try {
    const immutable = urlPath.startsWith('/assets/');
    const served = await send(ctx, urlPath, { root, immutable, maxage: immutable ? 365 * 24 * 3600 * 1000 : 0 });
    return Boolean(served);
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404 || status === 400 || status === 403) return false;
    throw err;
  }
}
