import { bodyParser } from '@koa/bodyparser';
import { commandScanner } from '../documents/cases/command-scanner.js';
import Koa from 'koa';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { apiRouters, type EngineApi } from './api/index.js';
import { loadSession, sessionRoutes } from './auth/routes.js';
import type { Config } from '../platform/config.js';
import { health, type EngineState, type Readiness } from './http/health.js';
import { csrfGuard, readOnlyRoles } from './http/csrf.js';
import { canonicalPrefixes, isApiPath, isEnginePath } from './http/paths.js';
import { problem, problemDocuments } from './http/problem.js';
import { accessLog, requestContext } from './http/request-context.js';
import { securityHeaders } from './http/security-headers.js';
import { staticWeb } from './http/static-web.js';
import { unreadBodies } from './http/unread-body.js';

export interface AppParts {
  config: Config;
  logger: Logger;
  knex: Knex;
  version: string;
  /** The embedded engine's /v2 middleware; absent when an external Camunda cluster is used. */
  engine?: Koa.Middleware;
  /** The official client per user and the timeline source, for the inbox, modeler, timeline and incidents. */
  engineApi?: EngineApi;
  engineState: () => EngineState;
  /** Start-up progress for readiness (`GET /api/health`); without it the app counts as ready. */
  readiness?: () => Readiness;
  /** The built web app (web/dist). */
  webDist: string;
}

/** The whole HTTP stack. The order of `use` below is the order a request passes through. */
export function createApp(parts: AppParts): Koa {
  const { config, logger, knex } = parts;
  const app = new Koa();
  app.on('error', (err) => logger.warn({ err }, 'http stream error'));
  // Behind a TLS-terminating reverse proxy: X-Forwarded-Proto/-Host/-For count, so ctx.secure (the session
  // cookie's Secure flag), our own origin (CSRF guard) and ctx.ip (sign-in throttle) are the browser's. The
  // client address is the one the proxy appended (the rightmost), never one the client wrote itself.
  app.proxy = config.TRUST_PROXY;
  if (config.TRUST_PROXY) app.maxIpsCount = 1;

  app.use(requestContext(logger)); // X-Request-Id and a per-request logger
  app.use(accessLog()); // one line per request, with the final status
  app.use(unreadBodies()); // a refusal before the body was read (413 …) drains it, so the client sees the answer
  app.use(securityHeaders()); // nosniff, referrer policy; CSP and no framing for the web app
  // Every error below becomes an RFC 9457 document, no stack traces; a domain refusal (DomainError) keeps its code
  // and field, so routes call their module's service and never catch its refusals themselves.
  app.use(problemDocuments());
  app.use(canonicalPrefixes()); // /API/…, /V2/… are 404: no other spelling of a prefix reaches a guard or router
  // /v2 bodies are left to the engine, which reads them itself under Camunda's 4 MB limit.
  const parseBody = bodyParser({ enableTypes: ['json', 'form'], jsonLimit: '10mb', encoding: 'utf-8' });
  app.use((ctx, next) => (isEnginePath(ctx.path) ? next() : parseBody(ctx, next)));
  app.use(health({ knex, version: parts.version, engine: parts.engineState, readiness: parts.readiness }));

  const apiOnly =
    (mw: Koa.Middleware): Koa.Middleware =>
    (ctx, next) =>
      isApiPath(ctx.path) ? mw(ctx, next) : next();
  app.use(csrfGuard()); // /api writes need our custom header and our Origin
  app.use(apiOnly(loadSession(knex)));
  app.use(readOnlyRoles()); // auditors change nothing, whatever the route
  const session = sessionRoutes(knex, config.SESSION_TTL_HOURS);
  app.use(session.routes()).use(session.allowedMethods({ throw: true }));
  const scan = config.DOCUMENT_SCAN_COMMAND?.split(/\s+/);
  const documents = {
    maxBytes: Math.round(config.DOCUMENT_MAX_SIZE_MB * 1024 * 1024),
    scanner: scan ? commandScanner(scan[0], scan.slice(1)) : undefined,
  };
  for (const router of apiRouters(knex, parts.engineApi, config.DATA_DIR, documents))
    app.use(router.routes()).use(router.allowedMethods({ throw: true }));

  if (parts.engine) app.use(parts.engine); // /v2/*: Camunda 8.8 REST API of the embedded engine

  app.use(staticWeb(parts.webDist)); // built web app with history-mode fallback

  app.use((ctx, next) => {
    if (ctx.path.startsWith('/v2/') && !parts.engine) {
      throw problem(404, 'Not Found', `the engine is external: use ${config.CAMUNDA_REST_ADDRESS}${ctx.path}`);
    }
    return next(); // anything else unanswered is a 404 problem (see problemDocuments)
  });
  return app;
}
