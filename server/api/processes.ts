import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import { requireUser } from '../auth/routes.js';
import { MANAGERS, OVERSIGHT } from '../auth/roles.js';
import type { User } from '../auth/users.js';
import type { EngineClients } from '../camunda/clients.js';
import { READ } from '../camunda/consistency.js';
import { engineProblem } from '../camunda/errors.js';
import { problem } from '../http/problem.js';
import { formFiles, taskForms } from '../modeler/forms.js';
import { lintDiagram, warmUpLinter } from '../modeler/lint.js';
import { checkProcesses } from '../modeler/process-check.js';
import { isDraftProcess } from '../../contracts/process-check.js';

const DeployBody = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,120}\.bpmn$/, 'a file name ending in .bpmn'),
  xml: z.string().min(1).max(5_000_000),
});

const keyOf = (k: string) => {
  if (!/^\d{1,19}$/.test(k)) throw problem(404, 'Not Found', `no process definition ${k}`);
  return k as never;
};

/** /api/processes: the modeler's list of definitions and versions, their XML, and deployment (managers). */
export function processesRouter(clients: EngineClients): Router {
  const router = new Router({ prefix: '/api/processes' });
  const engine = (ctx: Koa.Context) => clients.forUser((ctx.state.user as User).username);

  router.get('/', requireUser(...OVERSIGHT), async (ctx) => {
    if ((ctx.state.user as User).roles.some((r) => MANAGERS.includes(r))) warmUpLinter(); // editing comes next
    try {
      const found = await engine(ctx).searchProcessDefinitions(
        {
          sort: [{ field: 'processDefinitionId' }, { field: 'version', order: 'DESC' }],
          page: { limit: 1000 },
        } as never,
        READ,
      );
      ctx.body = { items: found.items };
    } catch (err) {
      throw engineProblem(err);
    }
  });

  router.get('/:key/xml', requireUser(...OVERSIGHT), async (ctx) => {
    try {
      const xml = await engine(ctx).getProcessDefinitionXml({ processDefinitionKey: keyOf(ctx.params.key) }, READ);
      ctx.type = 'application/xml';
      ctx.body = String(xml);
    } catch (err) {
      throw engineProblem(err, { 404: `no process definition ${ctx.params.key}` });
    }
  });

  // The forms beside a process: each user task's linked form id and the deployed .form that has it (or none).
  router.get('/:key/forms', requireUser(...OVERSIGHT), async (ctx) => {
    let xml: string;
    try {
      xml = String(await engine(ctx).getProcessDefinitionXml({ processDefinitionKey: keyOf(ctx.params.key) }, READ));
    } catch (err) {
      throw engineProblem(err, { 404: `no process definition ${ctx.params.key}` });
    }
    const files = formFiles();
    ctx.body = {
      items: (await taskForms(xml)).map((t) => ({ ...t, form: t.formId ? (files.get(t.formId) ?? null) : null })),
    };
  });

  // bpmnlint (camunda-compat 8.8) on the server: the modeler shows the problems on their elements.
  router.post('/lint', requireUser(...MANAGERS), async (ctx) => {
    const { xml } = DeployBody.pick({ xml: true }).parse(ctx.request.body ?? {});
    const [linted, ours] = await Promise.all([lintDiagram(xml), checkProcesses(xml)]);
    ctx.body = { problems: [...linted, ...ours] };
  });

  // A process that cannot end or does no work is refused here, whoever skipped the modeler's dialog (issue #20);
  // any other rejection is the engine's problem, which names the file and the element.
  router.post('/deployments', requireUser(...MANAGERS), async (ctx) => {
    const { name, xml } = DeployBody.parse(ctx.request.body ?? {});
    const refused = await checkProcesses(xml);
    if (refused.length)
      throw problem(
        422,
        'Unprocessable Content',
        refused.map((p) => `process '${p.elementId}': ${p.message}`).join('; '),
        { code: 'process_check', problems: refused },
      );
    try {
      const file = new File([xml], name, { type: 'application/xml' });
      const result = await engine(ctx).createDeployment({ resources: [file] });
      ctx.status = 201;
      ctx.body = { deploymentKey: result.deploymentKey, processes: result.processes };
    } catch (err) {
      throw engineProblem(err);
    }
  });

  // A test or draft diagram a manager tried out leaves the list again; a production process is never deleted here,
  // and the engine refuses while instances of the version run (409).
  router.delete('/:key', requireUser(...MANAGERS), async (ctx) => {
    const key = keyOf(ctx.params.key);
    try {
      const def = await engine(ctx).getProcessDefinition({ processDefinitionKey: key }, READ);
      if (!isDraftProcess(String(def.processDefinitionId)))
        throw problem(409, 'Conflict', `process ${def.processDefinitionId} is not a test or draft process`, {
          code: 'not_draft',
        });
      await engine(ctx).deleteResource({ resourceKey: key });
    } catch (err) {
      throw engineProblem(err, {
        404: `no process definition ${ctx.params.key}`,
        409: `process definition ${ctx.params.key} still has running instances`,
      });
    }
    ctx.status = 204;
  });

  return router;
}
