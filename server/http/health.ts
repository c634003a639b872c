import type http from 'node:http';
import type Koa from 'koa';
import type { Knex } from 'knex';

export type EngineState = 'ok' | 'starting' | 'stopping' | 'external';

/**
 * Where start-up stands: `starting` until the database is migrated, every model in processes/ is deployed and the
 * workers run; `ready` from then on; `stopping` once shutdown began.
 */
export type Readiness = 'starting' | 'ready' | 'stopping';

export type HealthStatus = 'ok' | 'starting' | 'stopping' | 'unavailable';

export interface HealthSources {
  knex: Knex;
  version: string;
  engine: () => EngineState;
  /** Start-up progress; without it the app counts as ready (an app assembled by hand, as in tests). */
  readiness?: () => Readiness;
}

export const LIVENESS_PATH = '/api/health/live';
export const READINESS_PATHS = ['/api/health', '/api/health/ready'];

/**
 * Readiness and liveness, as Camunda separates them:
 * - `GET /api/health` (also `/api/health/ready`): 200 `{status: 'ok', database, engine, version}` when the
 *   database answers, the engine is up (or external) and start-up is complete; else 503 with status `starting`,
 *   `stopping` or `unavailable` and a Retry-After. Load balancers and scripts wait for this one.
 * - `GET /api/health/live`: 200 whenever the process answers HTTP at all (no database round trip), so a
 *   supervisor does not restart a server that is merely still starting or has lost its database for a moment.
 */
export function health({ knex, version, engine, readiness = () => 'ready' }: HealthSources): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === LIVENESS_PATH) {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { status: 'ok', version };
      return;
    }
    if (!READINESS_PATHS.includes(ctx.path)) return next();
    let database: 'ok' | 'down' = 'ok';
    try {
      await knex.raw('select 1');
    } catch (err) {
      database = 'down';
      ctx.state.log?.warn({ err }, 'health: database unreachable');
    }
    const engineState = engine();
    const phase = readiness();
    const up = database === 'ok' && (engineState === 'ok' || engineState === 'external');
    const status: HealthStatus =
      phase === 'stopping' || engineState === 'stopping'
        ? 'stopping'
        : phase === 'starting'
          ? 'starting'
          : up
            ? 'ok'
            : 'unavailable';
    ctx.status = status === 'ok' ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    if (status !== 'ok') ctx.set('Retry-After', '5');
    ctx.body = { status, database, engine: engineState, version };
  };
}

/**
 * The answer of the bare HTTP server while the app is not yet assembled (the port is bound first, before the
 * database even runs): liveness says ok, readiness says `starting`, everything else is a 503 problem document.
 */
export function startingHandler(version: string): http.RequestListener {
  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    const headers = { 'Cache-Control': 'no-store' };
    if (pathname === LIVENESS_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ status: 'ok', version }));
      return;
    }
    if (READINESS_PATHS.includes(pathname) && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(503, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '5' });
      const body = { status: 'starting', database: 'starting', engine: 'starting', version };
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
      return;
    }
    res.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': '5' });
    res.end(JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'starting' }));
  };
}
