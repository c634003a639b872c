import type Router from '@koa/router';
import type Koa from 'koa';
import type { RouteModule } from '../route-module.js';
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
import { readScope, requireOnProcessOf, requireReadable } from '../authorize.js';

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
  // Searches find only what the caller may read; a get of an unreadable item is 403 (an unknown key stays 404).
  const readable = async <T extends { processDefinitionId?: string }>(
    ctx: Koa.Context,
    permission: string,
    item: Promise<T>,
  ): Promise<T> => {
    const found = await item;
    await requireReadable(ctx, permission, found?.processDefinitionId);
    return found;
  };
  const onInstance = (ctx: Koa.Context, permission = 'READ_PROCESS_INSTANCE') =>
    requireOnProcessOf(ctx, 'process_instance', key(ctx, 'processInstanceKey'), permission);
  const onTask = (ctx: Koa.Context) => requireOnProcessOf(ctx, 'user_task', key(ctx, 'userTaskKey'), 'READ_USER_TASK');
  const defs = (ctx: Koa.Context) => readScope(ctx, 'READ_PROCESS_DEFINITION', 'pd.bpmn_process_id');
  const instances = (ctx: Koa.Context, column: string) => readScope(ctx, 'READ_PROCESS_INSTANCE', column);

  post('/process-definitions/search', async (ctx, body) =>
    runSearch(db, processDefinitionSearch, body, await defs(ctx)),
  );
  get('/process-definitions/:processDefinitionKey', (ctx) =>
    readable(ctx, 'READ_PROCESS_DEFINITION', getProcessDefinition(db, key(ctx, 'processDefinitionKey'))),
  );
  get('/process-definitions/:processDefinitionKey/form', async (ctx) => {
    await requireOnProcessOf(ctx, 'process_definition', key(ctx, 'processDefinitionKey'), 'READ_PROCESS_DEFINITION');
    return getStartForm(db, key(ctx, 'processDefinitionKey'));
  });
  post('/process-definitions/:processDefinitionKey/statistics/element-instances', async (ctx, body) => {
    await requireOnProcessOf(ctx, 'process_definition', key(ctx, 'processDefinitionKey'), 'READ_PROCESS_INSTANCE');
    return processDefinitionStatistics(db, key(ctx, 'processDefinitionKey'), body);
  });

  post('/process-instances/search', async (ctx, body) =>
    runSearch(db, processInstanceSearch, body, await instances(ctx, 'pi.bpmn_process_id')),
  );
  get('/process-instances/:processInstanceKey', (ctx) =>
    readable(ctx, 'READ_PROCESS_INSTANCE', getProcessInstance(db, key(ctx, 'processInstanceKey'))),
  );
  get('/process-instances/:processInstanceKey/sequence-flows', async (ctx) => {
    await onInstance(ctx);
    return getSequenceFlows(db, key(ctx, 'processInstanceKey'));
  });
  get('/process-instances/:processInstanceKey/call-hierarchy', async (ctx) => {
    await onInstance(ctx);
    return getCallHierarchy(db, key(ctx, 'processInstanceKey'));
  });
  get('/process-instances/:processInstanceKey/statistics/element-instances', async (ctx) => {
    await onInstance(ctx);
    return processInstanceStatistics(db, key(ctx, 'processInstanceKey'));
  });
  post('/process-instances/:processInstanceKey/incidents/search', async (ctx, body) => {
    await onInstance(ctx);
    return searchProcessInstanceIncidents(db, key(ctx, 'processInstanceKey'), body);
  });

  post('/element-instances/search', async (ctx, body) =>
    runSearch(db, elementInstanceSearch, body, await instances(ctx, 'ei.bpmn_process_id')),
  );
  get('/element-instances/:elementInstanceKey', (ctx) =>
    readable(ctx, 'READ_PROCESS_INSTANCE', getElementInstance(db, key(ctx, 'elementInstanceKey'))),
  );

  post('/incidents/search', async (ctx, body) =>
    runSearch(db, incidentSearch, body, await instances(ctx, 'i.bpmn_process_id')),
  );
  get('/incidents/:incidentKey', (ctx) =>
    readable(ctx, 'READ_PROCESS_INSTANCE', getIncident(db, key(ctx, 'incidentKey'))),
  );

  const variablesOf = (ctx: Koa.Context) =>
    instances(
      ctx,
      '(SELECT vpi.bpmn_process_id FROM engine.process_instance vpi WHERE vpi.key = v.process_instance_key)',
    );
  post('/variables/search', async (ctx, body) =>
    runSearch(db, variableSearch(booleanQuery(ctx, 'truncateValues', true)), body, await variablesOf(ctx)),
  );
  get('/variables/:variableKey', async (ctx) => {
    const variable = await getVariable(db, key(ctx, 'variableKey'));
    await requireOnProcessOf(ctx, 'process_instance', String(variable.processInstanceKey), 'READ_PROCESS_INSTANCE');
    return variable;
  });

  post('/user-tasks/search', async (ctx, body) =>
    runSearch(db, userTaskSearch, body, await readScope(ctx, 'READ_USER_TASK', 'ut.bpmn_process_id')),
  );
  get('/user-tasks/:userTaskKey', (ctx) => readable(ctx, 'READ_USER_TASK', getUserTask(db, key(ctx, 'userTaskKey'))));
  get('/user-tasks/:userTaskKey/form', async (ctx) => {
    await onTask(ctx);
    return getUserTaskForm(db, key(ctx, 'userTaskKey'));
  });
  post('/user-tasks/:userTaskKey/variables/search', async (ctx, body) => {
    await onTask(ctx);
    return searchUserTaskVariables(db, key(ctx, 'userTaskKey'), body, booleanQuery(ctx, 'truncateValues', true));
  });

  post('/jobs/search', async (ctx, body) => runSearch(db, jobSearch, body, await instances(ctx, 'j.bpmn_process_id')));
  post('/message-subscriptions/search', async (ctx, body) =>
    runSearch(db, messageSubscriptionSearch, body, await instances(ctx, 'ms.bpmn_process_id')),
  );
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
