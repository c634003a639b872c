import fs from 'node:fs';
import path from 'node:path';
import type Koa from 'koa';
import send from 'koa-send';
import { isApiPath, isEnginePath } from './paths.js';

/**
 * Serves the built web app. Hashed assets are cached for good; any other GET that accepts HTML gets
 * index.html, so vue-router's history mode works on reload and deep links. A browser that accepts brotli or gzip
 * gets the file compressed at build (`.br`/`.gz` beside it, see web/vite.config.ts), chosen by koa-send.
 */
export function staticWeb(distDir: string): Koa.Middleware {
  const root = path.resolve(distDir);
  return async (ctx, next) => {
    // Paths owned by the APIs (in any case) are never answered with the web app: a typo in an API call is a 404.
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || isApiPath(ctx.path) || isEnginePath(ctx.path)) {
      return next();
    }
    ctx.vary('Accept-Encoding'); // one URL, several encodings: caches keep them apart
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
