import type Koa from 'koa';
import { z } from 'zod';
import {
  createMappingRule,
  deleteMappingRule,
  mappingRuleSearch,
  requireMappingRule,
  updateMappingRule,
} from '../../../store/identity.js';
import { runSearch } from '../../../store/search/run.js';
import { authorizationsChanged, requirePermission } from '../../authorize.js';
import { jsonBody } from '../../body.js';
import type { RouteModule } from '../../route-module.js';
import { jsonBody as searchBody } from '../../search/problem.js';
import { entityId, handler, pathId, recorder, reply, requiredText } from './common.js';

const claims = {
  claimName: requiredText('claimName'),
  claimValue: requiredText('claimValue', 4000),
  name: requiredText('name'),
};
const createBody = z.object({ mappingRuleId: entityId('mappingRuleId'), ...claims });
const updateBody = z.object(claims);

/**
 * /v2/mapping-rules (Camunda 8.8): rules that map a token claim to groups, roles and authorizations. Stored and
 * managed here for Camunda's tools; they take effect only for OIDC sign-ins, which Aquaflow does not offer (its
 * /v2 uses Basic authentication), so today they grant nothing.
 */
export const mappingRuleRoutes: RouteModule = (router, rt) => {
  const pool = rt.store.pool;
  const record = recorder(rt);
  const ruleId = (ctx: Koa.Context) => pathId(ctx, 'mappingRuleId');

  router.post(
    '/mapping-rules',
    handler(async (ctx) => {
      await requirePermission(ctx, 'MAPPING_RULE', 'CREATE');
      const rule = await createMappingRule(pool, createBody.parse(await jsonBody(ctx)));
      authorizationsChanged(ctx);
      await record(ctx, 'MAPPING_RULE', 'CREATED', rule);
      reply(ctx, 201, rule);
    }),
  );

  router.post(
    '/mapping-rules/search',
    handler(async (ctx) => {
      await requirePermission(ctx, 'MAPPING_RULE', 'READ');
      reply(ctx, 200, await runSearch(pool, mappingRuleSearch, await searchBody(ctx)));
    }),
  );

  router.get(
    '/mapping-rules/:mappingRuleId',
    handler(async (ctx) => {
      await requirePermission(ctx, 'MAPPING_RULE', 'READ');
      reply(ctx, 200, await requireMappingRule(pool, ruleId(ctx), 'get'));
    }),
  );

  router.put(
    '/mapping-rules/:mappingRuleId',
    handler(async (ctx) => {
      await requirePermission(ctx, 'MAPPING_RULE', 'UPDATE');
      const id = ruleId(ctx);
      const rule = await updateMappingRule(pool, { mappingRuleId: id, ...updateBody.parse(await jsonBody(ctx)) });
      authorizationsChanged(ctx);
      await record(ctx, 'MAPPING_RULE', 'UPDATED', rule);
      reply(ctx, 200, rule);
    }),
  );

  router.delete(
    '/mapping-rules/:mappingRuleId',
    handler(async (ctx) => {
      await requirePermission(ctx, 'MAPPING_RULE', 'DELETE');
      const deleted = await deleteMappingRule(pool, ruleId(ctx));
      authorizationsChanged(ctx);
      await record(ctx, 'MAPPING_RULE', 'DELETED', deleted);
      reply(ctx, 204);
    }),
  );
};
