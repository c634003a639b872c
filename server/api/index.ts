import type Router from '@koa/router';
import type { Knex } from 'knex';
import { customersRouter } from './customers.js';

/**
 * The /api routers of the domain modules, mounted by app.ts after the session is loaded (so `ctx.state.user`
 * is set) and before the engine and the web app. Add a module's router here.
 */
export function apiRouters(knex: Knex): Router[] {
  return [customersRouter(knex)];
}
