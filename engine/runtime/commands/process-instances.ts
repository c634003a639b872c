import type { Runtime } from '../runtime.js';
import { processDefinitionById, processDefinitionByKey } from '../../store/definitions.js';
import { rootVariables, processInstanceState } from '../../store/process-instances.js';
import { invalidArgument, notFound, invalidState, Rejection } from '../errors.js';
import { noneStartEvent } from '../../elements/start-of-scope.js';

export interface CreateInstanceRequest {
  processDefinitionKey?: string;
  processDefinitionId?: string;
  processDefinitionVersion?: number;
  tenantId?: string;
  variables?: Record<string, unknown>;
  startInstructions?: Array<{ elementId: string }>;
  awaitCompletion?: boolean;
  fetchVariables?: string[];
  requestTimeout?: number;
  tags?: string[];
}

export interface CreateInstanceResult {
  processDefinitionId: string;
  processDefinitionVersion: number;
  tenantId: string;
  variables: Record<string, unknown>;
  processDefinitionKey: string;
  processInstanceKey: string;
  tags?: string[];
}

const DEFAULT_AWAIT_TIMEOUT = 10_000;

export async function createProcessInstance(
  rt: Runtime,
  req: CreateInstanceRequest,
  actor: string | null,
): Promise<CreateInstanceResult> {
  const tenantId = req.tenantId ?? '<default>';
  const pool = rt.store.pool;
  const def = req.processDefinitionKey
    ? await processDefinitionByKey(pool, req.processDefinitionKey)
    : await processDefinitionById(pool, req.processDefinitionId!, req.processDefinitionVersion ?? -1, tenantId);
  if (!def || def.deleted) {
    throw notFound(
      req.processDefinitionKey
        ? `Command 'CREATE' rejected with code 'NOT_FOUND': Expected to find process definition with key '${req.processDefinitionKey}', but none found`
        : (req.processDefinitionVersion ?? -1) < 0
          ? `Command 'CREATE' rejected with code 'NOT_FOUND': Expected to find process definition with process ID '${req.processDefinitionId}', but none found`
          : `Command 'CREATE' rejected with code 'NOT_FOUND': Expected to find process definition with process ID '${req.processDefinitionId}' and version '${req.processDefinitionVersion}', but none found`,
    );
  }
  const model = await rt.model(def);
  const startIds = req.startInstructions?.map((s) => s.elementId) ?? [];
  for (const id of startIds) {
    const node = model.nodes.get(id);
    if (!node)
      throw invalidArgument(
        `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to find element with id '${id}' in process with key '${def.key}', but no such element found.`,
      );
    if (node.parentId !== model.root.id)
      throw invalidArgument(
        `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Start instructions are only supported for elements of the process itself, '${id}' is inside '${node.parentId}'`,
      );
  }
  if (!startIds.length && !noneStartEvent(model, model.root))
    throw invalidState(
      `Command 'CREATE' rejected with code 'INVALID_STATE': Expected to create instance of process with none start event, but there is no such event`,
    );

  const ctx = await rt.startInstance(def, model, {
    variables: req.variables ?? {},
    actor,
    startElementIds: startIds.length ? startIds : undefined,
    tags: req.tags,
  });
  const result: CreateInstanceResult = {
    processDefinitionId: def.bpmn_process_id,
    processDefinitionVersion: def.version,
    tenantId: def.tenant_id,
    variables: {},
    processDefinitionKey: def.key,
    processInstanceKey: ctx.pi.key,
  };
  if (req.tags?.length) result.tags = req.tags;
  if (!req.awaitCompletion) return result;

  const timeout = req.requestTimeout && req.requestTimeout > 0 ? req.requestTimeout : DEFAULT_AWAIT_TIMEOUT;
  const ended =
    ctx.pi.state !== 'ACTIVE' ||
    (await rt.waitForEnd(ctx.pi.key, timeout, async () => (await processInstanceState(pool, ctx.pi.key)) !== 'ACTIVE'));
  if (!ended)
    throw new Rejection(
      504,
      'DEADLINE_EXCEEDED',
      `Expected to complete process instance '${ctx.pi.key}' within ${timeout}ms, but the request timed out`,
    );
  result.variables = await rootVariables(pool, ctx.pi.key, req.fetchVariables?.length ? req.fetchVariables : null);
  return result;
}

export async function cancelProcessInstance(rt: Runtime, piKey: string, actor: string | null): Promise<void> {
  const detail = `Command 'CANCEL' rejected with code 'NOT_FOUND': Expected to cancel a process instance with key '${piKey}', but no such process was found`;
  await rt.withInstance(
    piKey,
    actor,
    (ctx) => {
      if (ctx.pi.state !== 'ACTIVE') throw notFound(detail);
      if (ctx.pi.parent_process_instance_key)
        throw invalidState(
          `Command 'CANCEL' rejected with code 'INVALID_STATE': Expected to cancel a process instance with key '${piKey}', but it is created by a parent process instance. Cancel the root process instance '${ctx.pi.parent_process_instance_key}' instead.`,
        );
      const root = ctx.element(ctx.pi.key);
      if (root) ctx.terminate(root);
    },
    detail,
  );
}
