import type pg from 'pg';
import type { ElementBehavior } from '../behavior.js';
import { bindingErrors } from '../binding.js';
import type { FlowNode } from '../../model/types.js';
import type { ElementInstanceRow, ProcessDefinitionRow } from '../../store/rows.js';
import type { InstanceContext } from '../../runtime/context.js';
import type { EngineFeature } from '../../runtime/feature.js';
import { queueParentChild, type ParentChildSession } from '../../runtime/parent-child.js';
import { noneStartEvent } from '../start-of-scope.js';

/**
 * Call activity (zeebe:calledElement): activation creates a child process instance of the called
 * process (latest / same deployment / version tag) with the parent's variables (all visible ones, or
 * only the call activity's locals when propagateAllParentVariables is false). The child's completion
 * completes the call activity with the child's root variables as its result (propagateAllChildVariables,
 * or when output mappings pick from them). Terminating the call activity terminates the child. A
 * called process that is not deployed is a CALLED_ELEMENT_ERROR incident; resolving it retries.
 * Child and parent are different instances, so this goes through runtime/parent-child.ts, in one transaction.
 */
export const callActivityBehavior: ElementBehavior = {
  validate(node) {
    const c = node.calledElement;
    if (!c) return ["Must have exactly one 'zeebe:calledElement' extension element"];
    const errors: string[] = [];
    if (!c.processId.raw.trim())
      errors.push("Expected attribute 'processId' of 'zeebe:calledElement' to be present and not empty");
    errors.push(...bindingErrors('calledElement', c));
    return errors;
  },
  onActivate(ctx, el, node) {
    const processId = ctx.evaluateAs(node.calledElement!.processId, el.key, 'STRING') as string;
    queueParentChild(ctx, (session) => startChild(session, ctx, el, node, processId));
  },
  onTerminating(ctx, el) {
    queueParentChild(ctx, (session) => terminateChildren(session, el.key));
  },
};

async function startChild(
  session: ParentChildSession,
  ctx: InstanceContext,
  el: ElementInstanceRow,
  node: FlowNode,
  processId: string,
): Promise<void> {
  if (el.state !== 'ACTIVATING') return; // terminated meanwhile
  const called = node.calledElement!;
  const { def, missing } = await calledDefinition(
    session.client,
    ctx,
    processId,
    called.bindingType,
    called.versionTag,
  );
  if (!def) {
    ctx.raiseIncident(el, 'CALLED_ELEMENT_ERROR', missing);
    return;
  }
  const model = await session.model(def);
  if (!noneStartEvent(model, model.root)) {
    ctx.raiseIncident(
      el,
      'CALLED_ELEMENT_ERROR',
      `Expected process with BPMN process id '${processId}' to have a none start event, but not found.`,
    );
    return;
  }
  ctx.activated(el);
  const variables = called.propagateAllParentVariables ? ctx.visibleVariables(el.key) : ctx.localVariables(el.key);
  await session.start(def, model, {
    variables,
    actor: ctx.actor,
    parent: { processInstanceKey: ctx.pi.key, elementInstanceKey: el.key },
  });
}

async function calledDefinition(
  db: pg.PoolClient,
  ctx: InstanceContext,
  processId: string,
  bindingType: string,
  versionTag: string | undefined,
): Promise<{ def?: ProcessDefinitionRow; missing: string }> {
  const tenant = ctx.pi.tenant_id;
  if (bindingType === 'deployment') {
    const { rows } = await db.query(
      `SELECT d.* FROM engine.process_definition d JOIN engine.process_definition caller ON caller.key = $3
        WHERE d.bpmn_process_id = $1 AND d.tenant_id = $2 AND d.deployment_key = caller.deployment_key AND NOT d.deleted`,
      [processId, tenant, ctx.pi.process_definition_key],
    );
    return {
      def: rows[0],
      missing: `Expected to call process with BPMN process id '${processId}' with binding type 'deployment', but no such process found in the deployment that contained the current process. To resolve this incident, deploy the called process together with the calling process.`,
    };
  }
  if (bindingType === 'versionTag') {
    const { rows } = await db.query(
      `SELECT * FROM engine.process_definition WHERE bpmn_process_id = $1 AND tenant_id = $2 AND version_tag = $3 AND NOT deleted ORDER BY version DESC LIMIT 1`,
      [processId, tenant, versionTag],
    );
    return {
      def: rows[0],
      missing: `Expected to call process with BPMN process id '${processId}' and version tag '${versionTag}', but no such process found. To resolve this incident, deploy a process with the given process id and version tag.`,
    };
  }
  const { rows } = await db.query(
    `SELECT * FROM engine.process_definition WHERE bpmn_process_id = $1 AND tenant_id = $2 AND NOT deleted ORDER BY version DESC LIMIT 1`,
    [processId, tenant],
  );
  return {
    def: rows[0],
    missing: `Expected process with BPMN process id '${processId}' to be deployed, but not found.`,
  };
}

async function terminateChildren(session: ParentChildSession, elementInstanceKey: string): Promise<void> {
  for (const key of await session.childInstanceKeys(elementInstanceKey)) {
    const child = await session.load(key);
    if (!child || child.pi.state !== 'ACTIVE') continue;
    const root = child.element(child.pi.key);
    if (root) child.terminate(root);
  }
}

/** onProcessEnd hook: a completed child completes its call activity (a terminated one was ended by it). */
function completeCallActivity(child: InstanceContext): void {
  const parentKey = child.pi.parent_process_instance_key;
  const elementKey = child.pi.parent_element_instance_key;
  if (!parentKey || !elementKey || child.pi.state !== 'COMPLETED') return;
  const childVariables = child.localVariables(child.pi.key);
  queueParentChild(child, async (session) => {
    const parent = await session.load(parentKey);
    const el = parent?.element(elementKey);
    if (!parent || !el || el.state !== 'ACTIVATED') return;
    const node = parent.node(el.element_id);
    if (node.calledElement?.propagateAllChildVariables !== false || node.hasOutputMappings)
      parent.temporaryVariables.set(el.key, childVariables);
    parent.complete(el);
  });
}

/**
 * catchError hook: a BPMN error not caught inside a child instance goes up to the call activity (its
 * boundary events, its scopes), and further up the call hierarchy. Caught nowhere: the incident is
 * raised where the error was thrown, as in Zeebe.
 */
function propagateErrorToParent(
  ctx: InstanceContext,
  source: ElementInstanceRow,
  errorCode: string,
  errorMessage: string,
  variables: Record<string, unknown> | null,
): boolean {
  if (!ctx.pi.parent_process_instance_key) return false;
  const others = ctx.hooks.catchError.filter((c) => c !== propagateErrorToParent);
  // The child's own catch events come first, whatever the order the hooks were registered in.
  if (others.some((c) => c(ctx, source, errorCode, errorMessage, variables))) return true;
  const jobKey =
    [...ctx.jobs.values()].find((j) => j.element_instance_key === source.key && j.state === 'ERROR_THROWN')?.key ??
    null;
  queueParentChild(ctx, async (session) => {
    let current = ctx;
    while (current.pi.parent_process_instance_key) {
      const parent = await session.load(current.pi.parent_process_instance_key);
      const callEl = parent?.element(current.pi.parent_element_instance_key!);
      if (!parent || !callEl || !parent.isActive(callEl)) break;
      if (others.some((c) => c(parent, callEl, errorCode, errorMessage, variables))) return;
      current = parent;
    }
    if (!ctx.isActive(source)) return;
    const msg = errorMessage
      ? `Expected to throw an error event with the code '${errorCode}' with message '${errorMessage}', but it was not caught. No error events are available in the scope.`
      : `Expected to throw an error event with the code '${errorCode}', but it was not caught. No error events are available in the scope.`;
    ctx.raiseIncident(source, 'UNHANDLED_ERROR_EVENT', msg, jobKey);
  });
  return true;
}

/**
 * The call activity as a feature (runtime/feature.ts): its element kind and the call hierarchy's hooks —
 * a child's end completes its call activity, an uncaught BPMN error goes up to the parent.
 */
export const callActivityFeature: EngineFeature = {
  name: 'call activity',
  behaviors: () => [['CALL_ACTIVITY', callActivityBehavior]],
  hooks: { onProcessEnd: [completeCallActivity], catchError: [propagateErrorToParent] },
};
