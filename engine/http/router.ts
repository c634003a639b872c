import type Koa from 'koa';
import compose from 'koa-compose';
import Router from '@koa/router';
import type { Runtime } from '../runtime/runtime.js';
import { problemMiddleware, sendProblem } from './problem.js';
import { authMiddleware } from './auth.js';
import { authzMiddleware } from './authorize.js';
import { Authorizer } from '../authz/authorizer.js';
import { topologyRoutes } from './routes/topology.js';
import { licenseRoutes } from './routes/license.js';
import { deploymentRoutes } from './routes/deployments.js';
import { processDefinitionRoutes } from './routes/process-definitions.js';
import { processInstanceRoutes } from './routes/process-instances.js';
import { processInstanceModificationRoutes } from './routes/process-instance-modification.js';
import { processInstanceMigrationRoutes } from './routes/process-instance-migration.js';
import { jobRoutes } from './routes/jobs.js';
import { incidentRoutes } from './routes/incidents.js';
import { userTaskRoutes } from './routes/user-tasks.js';
import { resourceRoutes } from './routes/resources.js';
import { elementInstanceRoutes } from './routes/element-instances.js';
import { decisionRoutes } from './routes/decisions.js';
import { documentRoutes } from './routes/documents.js';
import { queryRoutes } from './search/routes.js'; // query side: /v2 searches and gets
import type { HttpOptions, RouteModule } from './route-module.js';
import { userRoutes } from './routes/identity/users.js';
import { roleRoutes } from './routes/identity/roles.js';
import { groupRoutes } from './routes/identity/groups.js';
import { authorizationRoutes } from './routes/identity/authorizations.js';
import { mappingRuleRoutes } from './routes/identity/mapping-rules.js';

export type { HttpOptions, RouteModule };

export const routeModules: RouteModule[] = [
  topologyRoutes,
  licenseRoutes,
  deploymentRoutes,
  processDefinitionRoutes,
  processInstanceRoutes,
  processInstanceModificationRoutes,
  processInstanceMigrationRoutes,
  jobRoutes,
  incidentRoutes,
  userTaskRoutes,
  resourceRoutes,
  elementInstanceRoutes,
  decisionRoutes,
  documentRoutes,
  queryRoutes, // query side: /v2 searches and gets
  userRoutes, // identity: users, roles, groups, authorizations, mapping rules
  roleRoutes,
  groupRoutes,
  authorizationRoutes,
  mappingRuleRoutes,
];

/**
 * A request no route answered becomes a problem once the router is done: allowedMethods sets its bare 405 (known
 * path, other method) or 501 (a method no route has) only on the way back, so deciding before it would send a 404
 * document under a 405 status. Spring answers both as a 405 problem.
 */
const unansweredAsProblem: Koa.Middleware = async (ctx, next) => {
  await next();
  if (ctx.body) return;
  if (ctx.status === 405 || ctx.status === 501)
    sendProblem(ctx, 405, 'Method Not Allowed', `Method '${ctx.method}' is not supported.`);
  else if (ctx.status === 404) sendProblem(ctx, 404, 'NOT_FOUND', `No endpoint ${ctx.method} ${ctx.path}`);
};

/** The /v2 middleware: auth, problem documents, routes; anything outside /v2 goes to next(). */
export function createHttp(runtime: Runtime, opts: HttpOptions, extra: RouteModule[] = []): Koa.Middleware {
  const router = new Router({ prefix: '/v2' });
  for (const m of [...routeModules, ...extra]) m(router, runtime, opts);
  const chain = compose([
    problemMiddleware(runtime.log),
    authMiddleware(opts),
    authzMiddleware(new Authorizer(runtime.store.pool), runtime.store.pool),
    unansweredAsProblem,
    router.routes() as Koa.Middleware,
    router.allowedMethods() as Koa.Middleware,
  ]);
  return async (ctx, next) => {
    if (ctx.path !== '/v2' && !ctx.path.startsWith('/v2/')) return next();
    await chain(ctx, async () => {});
  };
}
