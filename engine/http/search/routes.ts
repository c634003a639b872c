import type Router from '@koa/router';
import type Koa from 'koa';
import type { RouteModule } from '../router.js';
import type { Queryable } from '../../store/search/builder.js';
import { runSearch } from '../../store/search/run.js';
import { elementInstanceSearch, getElementInstance } from '../../store/read/element-instances.js';
import { getIncident, incidentSearch, searchProcessInstanceIncidents } from '../../store/read/incidents.js';
import { jobSearch } from '../../store/read/jobs.js';
import { messageSubscriptionSearch } from '../../store/read/message-subscriptions.js';
import { getProcessDefinition, getStartForm, processDefinitionSearch } from '../../store/read/process-definitions.js';
import {
  getCallHierarchy,
  getProcessInstance,
  getSequenceFlows,
  processInstanceSearch,
} from '../../store/read/process-instances.js';
import { pathKey } from '../../store/read/shared.js';
import { processDefinitionStatistics, processInstanceStatistics } from '../../store/read/statistics.js';
import { getUserTask, getUserTaskForm, searchUserTaskVariables, userTaskSearch } from '../../store/read/user-tasks.js';
import { getVariable, variableSearch } from '../../store/read/variables.js';
import { answering, booleanQuery, jsonBody } from './problem.js';

/** The read side as one of the engine router's route modules. */
export const queryRoutes: RouteModule = (router, rt) => addQueryRoutes(router, rt.store.pool);

/**
 * Camunda 8.8's search and get endpoints over the engine's rows (paths relative to /v2). Every
 * read runs on committed state, so a search right after a command sees its effect.
 */
export function addQueryRoutes(r: Router, db: Queryable): void {
  const key = (ctx: Koa.Context, name: string) => pathKey(ctx.params[name], name);
  const get = (path: string, fn: (ctx: Koa.Context) => Promise<unknown>) =>
    r.get(
      path,
      answering(async (ctx) => send(ctx, await fn(ctx))),
    );
  const post = (path: string, fn: (ctx: Koa.Context, body: unknown) => Promise<unknown>) =>
    r.post(
      path,
      answering(async (ctx) => send(ctx, await fn(ctx, await jsonBody(ctx)))),
    );

  post('/process-definitions/search', (_, body) => runSearch(db, processDefinitionSearch, body));
  get('/process-definitions/:processDefinitionKey', (ctx) =>
    getProcessDefinition(db, key(ctx, 'processDefinitionKey')),
  );
  get('/process-definitions/:processDefinitionKey/form', (ctx) => getStartForm(db, key(ctx, 'processDefinitionKey')));
  post('/process-definitions/:processDefinitionKey/statistics/element-instances', (ctx, body) =>
    processDefinitionStatistics(db, key(ctx, 'processDefinitionKey'), body),
  );

  post('/process-instances/search', (_, body) => runSearch(db, processInstanceSearch, body));
  get('/process-instances/:processInstanceKey', (ctx) => getProcessInstance(db, key(ctx, 'processInstanceKey')));
  get('/process-instances/:processInstanceKey/sequence-flows', (ctx) =>
    getSequenceFlows(db, key(ctx, 'processInstanceKey')),
  );
  get('/process-instances/:processInstanceKey/call-hierarchy', (ctx) =>
    getCallHierarchy(db, key(ctx, 'processInstanceKey')),
  );
  get('/process-instances/:processInstanceKey/statistics/element-instances', (ctx) =>
    processInstanceStatistics(db, key(ctx, 'processInstanceKey')),
  );
  post('/process-instances/:processInstanceKey/incidents/search', (ctx, body) =>
    searchProcessInstanceIncidents(db, key(ctx, 'processInstanceKey'), body),
  );

  post('/element-instances/search', (_, body) => runSearch(db, elementInstanceSearch, body));
  get('/element-instances/:elementInstanceKey', (ctx) => getElementInstance(db, key(ctx, 'elementInstanceKey')));

  post('/incidents/search', (_, body) => runSearch(db, incidentSearch, body));
  get('/incidents/:incidentKey', (ctx) => getIncident(db, key(ctx, 'incidentKey')));

  post('/variables/search', (ctx, body) =>
    runSearch(db, variableSearch(booleanQuery(ctx, 'truncateValues', true)), body),
  );
  get('/variables/:variableKey', (ctx) => getVariable(db, key(ctx, 'variableKey')));

  post('/user-tasks/search', (_, body) => runSearch(db, userTaskSearch, body));
  get('/user-tasks/:userTaskKey', (ctx) => getUserTask(db, key(ctx, 'userTaskKey')));
  get('/user-tasks/:userTaskKey/form', (ctx) => getUserTaskForm(db, key(ctx, 'userTaskKey')));
  post('/user-tasks/:userTaskKey/variables/search', (ctx, body) =>
    searchUserTaskVariables(db, key(ctx, 'userTaskKey'), body, booleanQuery(ctx, 'truncateValues', true)),
  );

  post('/jobs/search', (_, body) => runSearch(db, jobSearch, body));
  post('/message-subscriptions/search', (_, body) => runSearch(db, messageSubscriptionSearch, body));
}

/** 200 with the JSON result; `null` (a form lookup that found none) is Camunda's 204. */
function send(ctx: Koa.Context, result: unknown): void {
  if (result !== null) {
    ctx.status = 200;
    ctx.body = result;
    return;
  }
  // The 8.8 client reads a 204 WITHOUT a content type as a null body and then fails its own
  // response validation; with application/json it reads {}. Koa strips headers from a 204, so
  // this one is written directly.
  ctx.respond = false;
  ctx.res.writeHead(204, { 'Content-Type': 'application/json' });
  ctx.res.end();
}
