import type pg from 'pg';
import type { FlowNode, ProcessModel } from '../../model/types.js';
import type { ElementInstanceRow, GenericRow, ProcessDefinitionRow } from '../../store/rows.js';
import { processDefinitionByKey } from '../../store/definitions.js';
import { isWaitingEvent } from '../../elements/events/definitions.js';
import { openSubscription } from '../events/subscribe.js';
import { cancelTimer } from '../rows/timer-changes.js';
import { deleteMessageSubscription } from '../rows/message-subscription-changes.js';
import type { InstanceContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { invalidArgument, invalidState, notFound } from '../errors.js';

/**
 * Process instance migration (Camunda 8.8 `POST /v2/process-instances/{key}/migration`, Zeebe's
 * PROCESS_INSTANCE_MIGRATION MIGRATE): every active element instance moves to the element a mapping instruction
 * names in the target process definition and keeps its key, as do its jobs, user tasks, incidents, variables and the
 * subscriptions of mapped catch events. Catch events of the source that are not mapped are closed; those of the
 * target that nothing maps to are opened. The instance then carries on in the target version.
 */
export interface MigrateInstanceRequest {
  targetProcessDefinitionKey: string;
  mappingInstructions: Array<{ sourceElementId: string; targetElementId: string }>;
}

// Element kinds whose active instances this engine migrates; an instance waiting anywhere else is refused.
const SUPPORTED = new Set([
  'PROCESS',
  'SUB_PROCESS',
  'CALL_ACTIVITY',
  'MULTI_INSTANCE_BODY',
  'SERVICE_TASK',
  'SEND_TASK',
  'SCRIPT_TASK',
  'BUSINESS_RULE_TASK',
  'USER_TASK',
  'RECEIVE_TASK',
  'MANUAL_TASK',
  'TASK',
  'INTERMEDIATE_CATCH_EVENT',
  'EXCLUSIVE_GATEWAY',
  'PARALLEL_GATEWAY',
  'INCLUSIVE_GATEWAY',
]);

const rejectedAs = (make: (d: string) => Error, code: string) => (detail: string) =>
  make(`Command 'MIGRATE' rejected with code '${code}': ${detail}`);
const invalidArg = rejectedAs(invalidArgument, 'INVALID_ARGUMENT');
const invalidSt = rejectedAs(invalidState, 'INVALID_STATE');

export async function migrateProcessInstance(
  rt: Runtime,
  piKey: string,
  req: MigrateInstanceRequest,
  actor: string | null,
): Promise<void> {
  const missing = `Command 'MIGRATE' rejected with code 'NOT_FOUND': Expected to migrate process instance but no process instance found with key '${piKey}'`;
  if (!/^\d{1,19}$/.test(piKey)) throw notFound(missing);
  await rt.withInstance(
    piKey,
    actor,
    async (ctx, client) => {
      if (ctx.pi.state !== 'ACTIVE') throw notFound(missing);
      const def = await processDefinitionByKey(client, req.targetProcessDefinitionKey);
      if (!def || def.deleted)
        throw notFound(
          `Command 'MIGRATE' rejected with code 'NOT_FOUND': Expected to migrate process instance to process definition but no process definition found with key '${req.targetProcessDefinitionKey}'`,
        );
      const target = await rt.model(def);
      const plan = planMigration(ctx, target, req.mappingInstructions);
      await migrate(ctx, client, def, target, plan, req);
    },
    missing,
  );
}

/** Source element id → target element id, for every active element and mapped catch event. */
type Plan = Map<string, string>;

/** Zeebe's preconditions, in its order; all of them are checked before anything changes. */
function planMigration(
  ctx: InstanceContext,
  target: ProcessModel,
  instructions: MigrateInstanceRequest['mappingInstructions'],
): Plan {
  const source = ctx.model;
  const piKey = ctx.pi.key;
  const counts = new Map<string, number>();
  for (const m of instructions) counts.set(m.sourceElementId, (counts.get(m.sourceElementId) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  if (duplicates.length)
    throw invalidArg(
      `Expected to migrate process instance '${piKey}' but the mapping instructions contain duplicate source element ids '[${duplicates.join(', ')}]'.`,
    );
  for (const m of instructions) {
    if (!source.nodes.has(m.sourceElementId))
      throw invalidArg(
        `Expected to migrate process instance '${piKey}' but mapping instructions contain a non-existing source element id '${m.sourceElementId}'. Elements provided in mapping instructions must exist in the source process definition.`,
      );
    if (!target.nodes.has(m.targetElementId))
      throw invalidArg(
        `Expected to migrate process instance '${piKey}' but mapping instructions contain a non-existing target element id '${m.targetElementId}'. Elements provided in mapping instructions must exist in the target process definition.`,
      );
  }
  const plan: Plan = new Map(instructions.map((m) => [m.sourceElementId, m.targetElementId]));
  // The process itself always moves to the target process.
  plan.set(source.root.id, target.root.id);

  for (const el of activeTopDown(ctx)) {
    if (el.element_type === 'PROCESS') continue;
    const type = el.element_type === 'MULTI_INSTANCE_BODY' ? source.nodes.get(el.element_id)!.type : el.element_type;
    if (!SUPPORTED.has(el.element_type) || !SUPPORTED.has(type))
      throw invalidSt(
        `Expected to migrate process instance '${piKey}' but active element with id '${el.element_id}' has an unsupported type. The migration of a ${el.element_type} is not supported.`,
      );
    const targetId = plan.get(el.element_id);
    if (targetId === undefined)
      throw invalidSt(
        `Expected to migrate process instance '${piKey}' but no mapping instruction defined for active element with id '${el.element_id}'. Elements cannot be migrated without a mapping.`,
      );
    const targetNode = target.nodes.get(targetId)!;
    if (
      targetNode.type !== source.nodes.get(el.element_id)!.type ||
      !!targetNode.loop !== (el.element_type === 'MULTI_INSTANCE_BODY' || ctx.isInnerInstance(el))
    )
      throw invalidSt(
        `Expected to migrate process instance '${piKey}' but active element with id '${el.element_id}' and type '${el.element_type}' is mapped to an element with id '${targetId}' and different type '${targetNode.loop && !ctx.isInnerInstance(el) ? 'MULTI_INSTANCE_BODY' : targetNode.type}'. Elements must be mapped to elements of the same type.`,
      );
    const scope = el.flow_scope_key ? ctx.element(el.flow_scope_key)! : null;
    // An inner instance lives in its body (same element id); anything else must stay in the migrated flow scope.
    const expected = scope ? plan.get(scope.element_id)! : target.root.id;
    const actual = ctx.isInnerInstance(el) ? targetId : (targetNode.parentId ?? target.root.id);
    if (expected !== actual)
      throw invalidSt(
        `Expected to migrate process instance '${piKey}' but the flow scope of active element with id '${el.element_id}' is changed. The flow scope of the active element is expected to be '${expected}' but was '${actual}'. The flow scope of an element cannot be changed during migration yet.`,
      );
    checkCatchEvents(ctx, target, plan, el, targetNode);
  }
  // Tokens waiting at a joining gateway are counted per sequence flow of the source: not migrated here.
  for (const scope of activeTopDown(ctx))
    if (ctx.waitingTokens(scope.key) > 0)
      throw invalidSt(
        `Expected to migrate process instance '${piKey}' but the flow scope '${scope.element_id}' has tokens waiting at a joining gateway. The migration of waiting tokens is not supported.`,
      );
  return plan;
}

/** A mapped catch event must stay a catch event of the element it is attached to, of the same kind. */
function checkCatchEvents(
  ctx: InstanceContext,
  target: ProcessModel,
  plan: Plan,
  el: ElementInstanceRow,
  targetNode: FlowNode,
): void {
  const seen = new Map<string, string>();
  for (const sourceEvent of heldCatchEvents(ctx.model, ctx.model.nodes.get(el.element_id)!, el)) {
    const targetId = plan.get(sourceEvent.id);
    if (targetId === undefined) continue;
    const targetEvent = target.nodes.get(targetId)!;
    const held = heldCatchEvents(target, targetNode, el).some((n) => n.id === targetId);
    if (!held || targetEvent.eventType !== sourceEvent.eventType)
      throw invalidSt(
        `Expected to migrate process instance '${ctx.pi.key}' but active element with id '${el.element_id}' has a catch event with id '${sourceEvent.id}' that is mapped to '${targetId}', which is not a catch event of the same kind attached to '${targetNode.id}'.`,
      );
    if (seen.has(targetId))
      throw invalidSt(
        `Expected to migrate process instance '${ctx.pi.key}' but active element with id '${el.element_id}' has a catch event attached that is mapped to a catch event with id '${targetId}'. There are multiple mapping instructions that target this catch event: '${seen.get(targetId)}', '${sourceEvent.id}'. Catch events cannot be merged by process instance migration. Please ensure the mapping instructions target a catch event only once.`,
      );
    seen.set(targetId, sourceEvent.id);
  }
}

/** The catch events an element instance subscribes for: its boundary events, and the event sub-process starts of a scope. */
function heldCatchEvents(model: ProcessModel, node: FlowNode, el: ElementInstanceRow): FlowNode[] {
  const out: FlowNode[] = [];
  // Boundary events belong to the multi-instance body, not to its inner instances.
  const inner = !!node.loop && el.element_type !== 'MULTI_INSTANCE_BODY';
  if (!inner)
    for (const id of node.boundaryEventIds) {
      const b = model.nodes.get(id)!;
      if (isWaitingEvent(b)) out.push(b);
    }
  if (el.element_type !== 'MULTI_INSTANCE_BODY')
    for (const id of node.children) {
      const esp = model.nodes.get(id)!;
      if (esp.type !== 'EVENT_SUB_PROCESS') continue;
      const start = esp.children.map((c) => model.nodes.get(c)!).find((n) => n.type === 'START_EVENT');
      if (start && isWaitingEvent(start)) out.push(start);
    }
  return out;
}

/** Active element instances, each after its flow scope. */
function activeTopDown(ctx: InstanceContext): ElementInstanceRow[] {
  const out: ElementInstanceRow[] = [];
  const visit = (key: string) => {
    for (const child of ctx.activeChildren(key)) {
      out.push(child);
      visit(child.key);
    }
  };
  const root = ctx.element(ctx.pi.key);
  if (root) {
    out.push(root);
    visit(root.key);
  }
  return out;
}

// ---------------------------------------------------------------- the migration itself

async function migrate(
  ctx: InstanceContext,
  client: pg.PoolClient,
  def: ProcessDefinitionRow,
  target: ProcessModel,
  plan: Plan,
  req: MigrateInstanceRequest,
): Promise<void> {
  const elements = activeTopDown(ctx);
  const owner = { process_definition_key: def.key, bpmn_process_id: def.bpmn_process_id };
  const withVersion = { ...owner, version: def.version };

  Object.assign(ctx.pi, withVersion, { version_tag: def.version_tag });
  ctx.save('process_instance', ctx.pi);
  ctx.model = target;

  const migrated = new Set(elements.map((e) => e.key));
  // The value of a MIGRATED record of a row under a moved element (Zeebe's fields), plus the row kind's own.
  const movedTo = (el: ElementInstanceRow, fields: Record<string, unknown> = {}) => ({
    elementId: el.element_id,
    elementInstanceKey: el.key,
    processDefinitionKey: def.key,
    bpmnProcessId: def.bpmn_process_id,
    ...fields,
  });
  const sourceElementIdOf = new Map(elements.map((e) => [e.key, e.element_id]));
  for (const el of elements) {
    const targetNode = target.nodes.get(plan.get(el.element_id)!)!;
    Object.assign(el, owner, { element_id: targetNode.id, element_name: targetNode.name ?? null });
    ctx.save('element_instance', el);
    ctx.recordElement(el, 'ELEMENT_MIGRATED');
  }
  for (const job of ctx.jobs.values()) {
    const el = ctx.element(job.element_instance_key);
    if (!el || !migrated.has(el.key)) continue;
    Object.assign(job, withVersion, { element_id: el.element_id });
    ctx.save('job', job);
    ctx.record('JOB', 'MIGRATED', job.key, movedTo(el, { type: job.type, processDefinitionVersion: def.version }), el);
  }
  for (const task of ctx.userTasks.values()) {
    const el = ctx.element(task.element_instance_key);
    if (!el || !migrated.has(el.key)) continue;
    Object.assign(task, withVersion, { element_id: el.element_id });
    ctx.save('user_task', task);
    const fields = { userTaskKey: task.key, processDefinitionVersion: def.version };
    ctx.record('USER_TASK', 'MIGRATED', task.key, movedTo(el, fields), el);
  }
  for (const inc of ctx.incidents.values()) {
    const el = inc.element_instance_key ? ctx.element(inc.element_instance_key) : undefined;
    if (!el || !migrated.has(el.key)) continue;
    Object.assign(inc, owner, { element_id: el.element_id });
    ctx.save('incident', inc);
    ctx.record('INCIDENT', 'MIGRATED', inc.key, movedTo(el), el);
  }
  for (const scope of ctx.vars.byScope.values())
    for (const v of scope.values()) {
      Object.assign(v, owner);
      ctx.save('variable', v);
      ctx.record('VARIABLE', 'MIGRATED', v.key, {
        name: v.name,
        scopeKey: v.scope_key,
        processDefinitionKey: def.key,
        bpmnProcessId: def.bpmn_process_id,
      });
    }

  // Subscriptions: an element's own (catch event, receive task) move with it; those of attached catch events move
  // when mapped, else close; then the target's catch events nothing was mapped to are opened.
  const byKey = new Map(elements.map((e) => [e.key, e]));
  const kept = new Set<string>();
  const migrateHeld = (row: GenericRow, close: () => void, valueType: string) => {
    const el = row.element_instance_key ? byKey.get(row.element_instance_key) : undefined;
    if (!el) return;
    const sourceEventId = row.element_id as string;
    const own = sourceEventId === sourceElementIdOf.get(el.key);
    const targetEventId = own ? el.element_id : plan.get(sourceEventId);
    if (!targetEventId) return close();
    Object.assign(row, owner, { element_id: targetEventId });
    kept.add(`${el.key}|${targetEventId}`);
    ctx.save(
      valueType === 'TIMER'
        ? 'timer'
        : valueType === 'SIGNAL_SUBSCRIPTION'
          ? 'signal_subscription'
          : 'message_subscription',
      row,
    );
    ctx.record(valueType, 'MIGRATED', row.key, movedTo(el, { elementId: targetEventId }), el);
  };
  for (const timer of ctx.timers.values())
    if (timer.state === 'CREATED')
      migrateHeld(timer, () => cancelTimer(ctx, timer, ctx.element(timer.element_instance_key!)!), 'TIMER');
  for (const sub of ctx.subscriptions.values())
    if (sub.state === 'CREATED')
      migrateHeld(
        sub,
        () => deleteMessageSubscription(ctx, sub, ctx.element(sub.element_instance_key!)!),
        'PROCESS_MESSAGE_SUBSCRIPTION',
      );
  // Signal subscriptions are not part of the loaded state: read here, written back with the flush.
  const { rows: signals } = await client.query(
    `SELECT * FROM engine.signal_subscription WHERE process_instance_key = $1`,
    [ctx.pi.key],
  );
  for (const sig of signals as GenericRow[])
    migrateHeld(
      sig,
      () => {
        ctx.remove('signal_subscription', sig);
        ctx.record(
          'SIGNAL_SUBSCRIPTION',
          'DELETED',
          sig.key,
          {
            signalName: sig.signal_name,
            catchEventId: sig.element_id,
            catchEventInstanceKey: sig.element_instance_key,
          },
          ctx.element(sig.element_instance_key!),
        );
      },
      'SIGNAL_SUBSCRIPTION',
    );
  for (const el of elements) {
    const node = target.nodes.get(el.element_id)!;
    for (const event of heldCatchEvents(target, node, el))
      if (!kept.has(`${el.key}|${event.id}`)) openSubscription(ctx, el, event);
  }

  ctx.record('PROCESS_INSTANCE_MIGRATION', 'MIGRATED', ctx.pi.key, {
    processInstanceKey: ctx.pi.key,
    targetProcessDefinitionKey: def.key,
    mappingInstructions: req.mappingInstructions,
    tenantId: ctx.pi.tenant_id,
  });
}
