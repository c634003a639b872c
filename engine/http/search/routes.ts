import Router from '@koa/router';
import type Koa from 'koa';
import type { Queryable } from '../../store/search/builder.js';
import { runSearch } from '../../store/search/run.js';
import { elementInstanceSearch, getElementInstance } from '../../store/read/element-instances.js';
import { getIncident, incidentSearch, searchProcessInstanceIncidents } from '../../store/read/incidents.js';
import { jobSearch } from '../../store/read/jobs.js';
import { messageSubscriptionSearch } from '../../store/read/message-subscriptions.js';
import { getProcessDefinition, getProcessDefinitionXml, getStartForm, processDefinitionSearch } from '../../store/read/process-definitions.js';
import { getCallHierarchy, getProcessInstance, getSequenceFlows, processInstanceSearch } from '../../store/read/process-instances.js';
import { pathKey } from '../../store/read/shared.js';
import { getUserTask, getUserTaskForm, searchUserTaskVariables, userTaskSearch } from '../../store/read/user-tasks.js';
import { getVariable, variableSearch } from '../../store/read/variables.js';
import { booleanQuery, jsonBody, queryProblems } from './problem.js';

/**
 * The /v2 read side: Camunda 8.8's search and get endpoints over the engine's rows. Every read
 * runs on committed state, so a search right after a command sees its effect.
 */
export function queryRoutes(db: Queryable): Router {
  const r = new Router({ prefix: '/v2' });
  r.use(queryProblems);

  const key = (ctx: Koa.Context, name: string) => pathKey(ctx.params[name], name);
  const json = (ctx: Koa.Context, body: unknown) => {
    ctx.status = 200;
    ctx.body = body;
  };
  const form = (ctx: Koa.Context, result: unknown) => {
    if (result !== null) return json(ctx, result);
    // "Found, but no form": 204. The 8.8 client reads a 204 WITHOUT a content type as a null body and
    // then fails its own response validation; with application/json it reads {}. Koa strips headers
    // from a 204, so this one is written directly.
    ctx.respond = false;
    ctx.res.writeHead(204, { 'Content-Type': 'application/json' });
    ctx.res.end();
  };

  r.post('/process-definitions/search', async (ctx) => json(ctx, await runSearch(db, processDefinitionSearch, await jsonBody(ctx))));
  r.get('/process-definitions/:processDefinitionKey', async (ctx) => json(ctx, await getProcessDefinition(db, key(ctx, 'processDefinitionKey'))));
  r.get('/process-definitions/:processDefinitionKey/xml', async (ctx) => {
    const xml = await getProcessDefinitionXml(db, key(ctx, 'processDefinitionKey'));
    ctx.status = 200;
    ctx.type = 'text/xml';
    ctx.body = xml;
  });
  r.get('/process-definitions/:processDefinitionKey/form', async (ctx) => form(ctx, await getStartForm(db, key(ctx, 'processDefinitionKey'))));

  r.post('/process-instances/search', async (ctx) => json(ctx, await runSearch(db, processInstanceSearch, await jsonBody(ctx))));
  r.get('/process-instances/:processInstanceKey', async (ctx) => json(ctx, await getProcessInstance(db, key(ctx, 'processInstanceKey'))));
  r.get('/process-instances/:processInstanceKey/sequence-flows', async (ctx) => json(ctx, await getSequenceFlows(db, key(ctx, 'processInstanceKey'))));
  r.get('/process-instances/:processInstanceKey/call-hierarchy', async (ctx) => json(ctx, await getCallHierarchy(db, key(ctx, 'processInstanceKey'))));
  r.post('/process-instances/:processInstanceKey/incidents/search', async (ctx) =>
    json(ctx, await searchProcessInstanceIncidents(db, key(ctx, 'processInstanceKey'), await jsonBody(ctx))),
  );

  r.post('/element-instances/search', async (ctx) => json(ctx, await runSearch(db, elementInstanceSearch, await jsonBody(ctx))));
  r.get('/element-instances/:elementInstanceKey', async (ctx) => json(ctx, await getElementInstance(db, key(ctx, 'elementInstanceKey'))));

  r.post('/incidents/search', async (ctx) => json(ctx, await runSearch(db, incidentSearch, await jsonBody(ctx))));
  r.get('/incidents/:incidentKey', async (ctx) => json(ctx, await getIncident(db, key(ctx, 'incidentKey'))));

  r.post('/variables/search', async (ctx) =>
    json(ctx, await runSearch(db, variableSearch(booleanQuery(ctx, 'truncateValues', true)), await jsonBody(ctx))),
  );
  r.get('/variables/:variableKey', async (ctx) => json(ctx, await getVariable(db, key(ctx, 'variableKey'))));

  r.post('/user-tasks/search', async (ctx) => json(ctx, await runSearch(db, userTaskSearch, await jsonBody(ctx))));
  r.get('/user-tasks/:userTaskKey', async (ctx) => json(ctx, await getUserTask(db, key(ctx, 'userTaskKey'))));
  r.get('/user-tasks/:userTaskKey/form', async (ctx) => form(ctx, await getUserTaskForm(db, key(ctx, 'userTaskKey'))));
  r.post('/user-tasks/:userTaskKey/variables/search', async (ctx) =>
    json(ctx, await searchUserTaskVariables(db, key(ctx, 'userTaskKey'), await jsonBody(ctx), booleanQuery(ctx, 'truncateValues', true))),
  );

  r.post('/jobs/search', async (ctx) => json(ctx, await runSearch(db, jobSearch, await jsonBody(ctx))));
  r.post('/message-subscriptions/search', async (ctx) => json(ctx, await runSearch(db, messageSubscriptionSearch, await jsonBody(ctx))));
  return r;
}
