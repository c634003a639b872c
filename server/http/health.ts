import type Koa from 'koa';
import type { Knex } from 'knex';

export type EngineState = 'ok' | 'starting' | 'stopping' | 'external';

export interface HealthSources {
  knex: Knex;
  version: string;
  engine: () => EngineState;
}

/** GET /api/health: 200 when the database answers and the engine is up (or external), else 503. */
export function health({ knex, version, engine }: HealthSources): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/api/health' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    let database: 'ok' | 'down' = 'ok';
    try {
      await knex.raw('select 1');
    } catch (err) {
      database = 'down';
      ctx.state.log?.warn({ err }, 'health: database unreachable');
    }
    const engineState = engine();
    const ok = database === 'ok' && (engineState === 'ok' || engineState === 'external');
    ctx.status = ok ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: ok ? 'ok' : 'unavailable', database, engine: engineState, version };
  };
}
