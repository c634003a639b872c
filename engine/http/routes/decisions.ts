import type Koa from 'koa';
import { z } from 'zod';
import type { RouteModule } from '../route-module.js';
import { jsonBody as commandBody } from '../body.js';
import * as s from '../schemas.js';
import { readScopeOf, requireOnResource } from '../authorize.js';
import { actorOf } from '../auth.js';
import { answering, jsonBody } from '../search/problem.js';
import { runSearch } from '../../store/search/run.js';
import { pathKey } from '../../store/read/shared.js';
import {
  decisionDefinitionSearch,
  decisionInstanceSearch,
  decisionRequirementsSearch,
  getDecisionDefinition,
  getDecisionDefinitionXml,
  getDecisionInstance,
  getDecisionRequirements,
  getDecisionRequirementsXml,
} from '../../store/read/decisions.js';
import { decisionToEvaluate, evaluateDecisionCommand } from '../../runtime/commands/decisions.js';
import { invalidArgument } from '../../runtime/errors.js';

const DECISION = 'DECISION_DEFINITION';
const DRG = 'DECISION_REQUIREMENTS_DEFINITION';

const evaluation = z
  .object({
    decisionDefinitionId: z.string().min(1).optional(),
    decisionDefinitionKey: s.key.optional(),
    variables: s.variables.optional(),
    tenantId: s.tenantId.optional(),
  })
  .strict();

/**
 * Camunda 8.8's decision endpoints (paths relative to /v2): evaluation (CREATE_DECISION_INSTANCE on the
 * decision), decision definitions and their XML (READ_DECISION_DEFINITION), decision requirements (READ on
 * DECISION_REQUIREMENTS_DEFINITION), decision instances (READ_DECISION_INSTANCE). Searches find only what the
 * caller may read; a get of an unreadable item is 403, an unknown key 404.
 */
export const decisionRoutes: RouteModule = (router, rt) => {
  const db = rt.store.pool;
  const key = (ctx: Koa.Context) => pathKey(ctx.params.key, 'key');
  const json = (fn: (ctx: Koa.Context) => Promise<unknown>) =>
    answering(async (ctx) => {
      ctx.body = await fn(ctx);
    });
  const xml = (fn: (ctx: Koa.Context) => Promise<string>) =>
    answering(async (ctx) => {
      const text = await fn(ctx);
      ctx.type = 'text/xml';
      ctx.body = text;
    });

  router.post('/decision-definitions/evaluation', async (ctx) => {
    const req = evaluation.parse(await commandBody(ctx));
    if (!req.decisionDefinitionId && !req.decisionDefinitionKey)
      throw invalidArgument('At least one of [decisionDefinitionId, decisionDefinitionKey] is required.');
    if (req.decisionDefinitionId && req.decisionDefinitionKey)
      throw invalidArgument('Only one of [decisionDefinitionId, decisionDefinitionKey] is allowed.');
    if (req.decisionDefinitionId)
      await requireOnResource(ctx, DECISION, 'CREATE_DECISION_INSTANCE', req.decisionDefinitionId);
    else {
      const decision = await decisionToEvaluate(rt, req);
      await requireOnResource(ctx, DECISION, 'CREATE_DECISION_INSTANCE', decision.decision_id);
    }
    ctx.body = await evaluateDecisionCommand(rt, req, actorOf(ctx));
  });

  router.post(
    '/decision-definitions/search',
    json(async (ctx) =>
      runSearch(db, decisionDefinitionSearch, await jsonBody(ctx), [
        ...(await readScopeOf(ctx, DECISION, 'READ_DECISION_DEFINITION', 'dd.decision_id')),
      ]),
    ),
  );
  router.get(
    '/decision-definitions/:key',
    json(async (ctx) => {
      const item = await getDecisionDefinition(db, key(ctx));
      await requireOnResource(ctx, DECISION, 'READ_DECISION_DEFINITION', item.decisionDefinitionId);
      return item;
    }),
  );
  router.get(
    '/decision-definitions/:key/xml',
    xml(async (ctx) => {
      const row = await getDecisionDefinitionXml(db, key(ctx));
      await requireOnResource(ctx, DECISION, 'READ_DECISION_DEFINITION', row.decision_id);
      return row.resource;
    }),
  );

  router.post(
    '/decision-requirements/search',
    json(async (ctx) =>
      runSearch(db, decisionRequirementsSearch, await jsonBody(ctx), [
        ...(await readScopeOf(ctx, DRG, 'READ', 'dr.decision_requirements_id')),
      ]),
    ),
  );
  router.get(
    '/decision-requirements/:key',
    json(async (ctx) => {
      const item = await getDecisionRequirements(db, key(ctx));
      await requireOnResource(ctx, DRG, 'READ', item.decisionRequirementsId);
      return item;
    }),
  );
  router.get(
    '/decision-requirements/:key/xml',
    xml(async (ctx) => {
      const item = await getDecisionRequirements(db, key(ctx));
      await requireOnResource(ctx, DRG, 'READ', item.decisionRequirementsId);
      return getDecisionRequirementsXml(db, key(ctx));
    }),
  );

  router.post(
    '/decision-instances/search',
    json(async (ctx) =>
      runSearch(db, decisionInstanceSearch, await jsonBody(ctx), [
        ...(await readScopeOf(ctx, DECISION, 'READ_DECISION_INSTANCE', 'di.decision_id')),
      ]),
    ),
  );
  router.get(
    '/decision-instances/:key',
    json(async (ctx) => {
      const item = await getDecisionInstance(db, key(ctx));
      await requireOnResource(ctx, DECISION, 'READ_DECISION_INSTANCE', item.decisionDefinitionId);
      return item;
    }),
  );
};
