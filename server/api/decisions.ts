import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import { requireUser } from '../auth/routes.js';
import { MANAGERS, OVERSIGHT } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { READ } from '../camunda/consistency.js';
import { engineProblem, engineStatus } from '../camunda/errors.js';
import { problem } from '../http/problem.js';
import { checkDecisions, rejectionProblems } from '../modeler/dmn-check.js';

const Xml = z.string().min(1, 'the decision model is empty').max(5_000_000);
const DeployBody = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,120}\.dmn$/, 'a file name ending in .dmn'),
  xml: Xml,
});

/** 422 naming the first field the body got wrong (the modeler marks that field). */
function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const errors = r.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
  throw problem(422, 'Unprocessable Content', `${errors[0].field}: ${errors[0].message}`, {
    code: 'invalid',
    field: errors[0].field,
    errors,
  });
}

const keyOf = (k: string) => {
  if (!/^\d{1,19}$/.test(k)) throw problem(404, 'Not Found', `no decision requirements ${k}`);
  return k as never;
};

/**
 * /api/decisions: the modeler's DMN side — deployed decisions with their decision requirements (the .dmn file
 * they came in), the file's XML, the check while editing, and deployment (managers).
 */
export function decisionsRouter(clients: EngineClients): Router {
  const router = new Router({ prefix: '/api/decisions' });
  const engine = (ctx: Koa.Context) => clients.forUser((ctx.state.user as User).username);

  router.get('/', requireUser(...OVERSIGHT), async (ctx) => {
    try {
      const [decisions, requirements] = await Promise.all([
        engine(ctx).searchDecisionDefinitions(
          {
            sort: [{ field: 'decisionDefinitionId' }, { field: 'version', order: 'DESC' }],
            page: { limit: 1000 },
          } as never,
          READ,
        ),
        engine(ctx).searchDecisionRequirements({ page: { limit: 1000 } } as never, READ),
      ]);
      const files = new Map((requirements.items ?? []).map((r) => [String(r.decisionRequirementsKey), r.resourceName]));
      ctx.body = {
        items: (decisions.items ?? []).map((d) => ({
          ...d,
          resourceName: files.get(String(d.decisionRequirementsKey)) ?? null,
        })),
      };
    } catch (err) {
      throw engineProblem(err);
    }
  });

  // The whole .dmn as deployed (a DRG): the modeler opens the DRD and every decision of it.
  router.get('/requirements/:key/xml', requireUser(...OVERSIGHT), async (ctx) => {
    try {
      const xml = await engine(ctx).getDecisionRequirementsXml(
        { decisionRequirementsKey: keyOf(ctx.params.key) },
        READ,
      );
      ctx.type = 'application/xml';
      ctx.body = String(xml);
    } catch (err) {
      throw engineProblem(err, { 404: `no decision requirements ${ctx.params.key}` });
    }
  });

  router.post('/check', requireUser(...MANAGERS), async (ctx) => {
    const { xml } = parse(z.object({ xml: Xml }), ctx.request.body);
    ctx.body = { problems: await checkDecisions(xml) };
  });

  // A rejection keeps the engine's problem and adds its errors as coded problems the modeler words itself.
  router.post('/deployments', requireUser(...MANAGERS), async (ctx) => {
    const { name, xml } = parse(DeployBody, ctx.request.body);
    try {
      const file = new File([xml], name, { type: 'application/xml' });
      const result = await engine(ctx).createDeployment({ resources: [file] });
      ctx.status = 201;
      ctx.body = {
        deploymentKey: result.deploymentKey,
        decisions: result.decisions,
        decisionRequirements: result.decisionRequirements,
      };
    } catch (err) {
      const p = engineProblem(err);
      if (engineStatus(err) !== 400 || !p.detail) throw p;
      throw problem(p.status, p.title, p.detail, { ...p.extra, problems: rejectionProblems(p.detail) });
    }
  });

  return router;
}
