import type { FlowNode, ProcessModel } from '../../model/types.js';
import type { ElementInstanceRow } from '../../store/rows.js';
import type { InstanceContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { invalidArgument, notFound } from '../errors.js';

/**
 * Process instance modification (Camunda 8.8 `POST /v2/process-instances/{key}/modification`, Zeebe's
 * PROCESS_INSTANCE_MODIFICATION MODIFY): activate elements (creating the flow scopes they need) and terminate
 * element instances, in one transaction. Every instruction is checked before anything changes, so a rejected
 * command leaves the instance as it was.
 */
export interface ModifyInstanceRequest {
  activateInstructions?: Array<{
    elementId: string;
    /** "-1" or absent: the engine picks the flow scope instance. */
    ancestorElementInstanceKey?: string;
    variableInstructions?: Array<{
      variables: Record<string, unknown>;
      scopeId?: string;
    }>;
  }>;
  terminateInstructions?: Array<{ elementInstanceKey: string }>;
}

type ActivateInstruction = NonNullable<ModifyInstanceRequest['activateInstructions']>[number];

// Zeebe's rule: these are entered by the engine itself (a start event by its scope, a boundary event by its trigger).
const UNSUPPORTED_TYPES = new Set(['UNSPECIFIED', 'START_EVENT', 'SEQUENCE_FLOW', 'BOUNDARY_EVENT']);
// Zeebe prints the complement of UNSUPPORTED_TYPES in the order of its BpmnElementType enum.
const SUPPORTED_TYPES =
  '[PROCESS, SUB_PROCESS, EVENT_SUB_PROCESS, AD_HOC_SUB_PROCESS, AD_HOC_SUB_PROCESS_INNER_INSTANCE, ' +
  'INTERMEDIATE_CATCH_EVENT, INTERMEDIATE_THROW_EVENT, END_EVENT, SERVICE_TASK, RECEIVE_TASK, USER_TASK, MANUAL_TASK, ' +
  'TASK, EXCLUSIVE_GATEWAY, PARALLEL_GATEWAY, EVENT_BASED_GATEWAY, MULTI_INSTANCE_BODY, CALL_ACTIVITY, ' +
  'BUSINESS_RULE_TASK, SCRIPT_TASK, SEND_TASK, INCLUSIVE_GATEWAY]';

/** The gateway's wording of a rejected MODIFY command. */
const rejected = (detail: string) =>
  invalidArgument(`Command 'MODIFY' rejected with code 'INVALID_ARGUMENT': ${detail}`);

export async function modifyProcessInstance(
  rt: Runtime,
  piKey: string,
  req: ModifyInstanceRequest,
  actor: string | null,
): Promise<void> {
  const missing = `Command 'MODIFY' rejected with code 'NOT_FOUND': Expected to modify process instance but no process instance found with key '${piKey}'`;
  if (!/^\d{1,19}$/.test(piKey)) throw notFound(missing);
  await rt.withInstance(
    piKey,
    actor,
    (ctx) => {
      if (ctx.pi.state !== 'ACTIVE') throw notFound(missing);
      applyModification(ctx, req);
    },
    missing,
  );
}

/** The modification on a locked instance: checks every instruction, then activates, terminates and records. */
export function applyModification(ctx: InstanceContext, req: ModifyInstanceRequest): void {
  const activations = req.activateInstructions ?? [];
  const terminations = uniqueKeys(req.terminateInstructions ?? []);
  validate(ctx, activations, terminations);

  // Activations first: the elements they create count as active children, so that no flow scope they
  // need is completed or terminated by the terminations below (Zeebe's "required keys for activation").
  const required = new Set<string>();
  const recorded = activations.map((a) => {
    const scopes = activate(ctx, a);
    for (const k of scopes) required.add(k);
    return {
      elementId: a.elementId,
      ancestorScopeKey: ancestorKeyOf(a) ?? '-1',
      variableInstructions: (a.variableInstructions ?? []).map((v) => ({
        variables: v.variables,
        elementId: v.scopeId ?? '',
      })),
      ancestorScopeKeys: scopes,
    };
  });
  for (const key of terminations) terminateWithEmptyScopes(ctx, key, required);
  ctx.record('PROCESS_INSTANCE_MODIFICATION', 'MODIFIED', ctx.pi.key, {
    processInstanceKey: ctx.pi.key,
    tenantId: ctx.pi.tenant_id,
    activateInstructions: recorded,
    terminateInstructions: terminations.map((elementInstanceKey) => ({
      elementInstanceKey,
    })),
  });
}

function uniqueKeys(instructions: Array<{ elementInstanceKey: string }>): string[] {
  return [...new Set(instructions.map((t) => String(t.elementInstanceKey)))];
}

function ancestorKeyOf(a: ActivateInstruction): string | null {
  const k = a.ancestorElementInstanceKey;
  return k === undefined || k === '' || Number(k) <= 0 ? null : String(k);
}

/** The containers an element lives in, innermost first, up to (and including) the process. */
function flowScopeIds(model: ProcessModel, node: FlowNode): string[] {
  const ids: string[] = [];
  for (let id = node.parentId; id; id = model.nodes.get(id)?.parentId) ids.push(id);
  return ids;
}

// ---------------------------------------------------------------- validation (Zeebe's order and wording)

function validate(ctx: InstanceContext, activations: ActivateInstruction[], terminations: string[]): void {
  const pid = ctx.pi.bpmn_process_id;
  const model = ctx.model;
  const list = (xs: Iterable<string>) => [...new Set(xs)].join("', '");

  const unknown = activations.map((a) => a.elementId).filter((id) => !model.nodes.has(id) || id === model.root.id);
  if (unknown.length)
    throw rejected(
      `Expected to modify instance of process '${pid}' but it contains one or more activate instructions with an element that could not be found: '${list(unknown)}'`,
    );

  const nodes = activations.map((a) => model.nodes.get(a.elementId)!);
  const afterEventGateway = nodes.filter((n) => n.incoming.some((f) => afterEventBasedGateway(model, f.sourceId)));
  if (afterEventGateway.length)
    throw rejected(
      `Expected to modify instance of process '${pid}' but it contains one or more activate instructions for elements that are unsupported: '${list(afterEventGateway.map((n) => n.id))}'. The activation of events belonging to an event-based gateway is not supported.`,
    );
  const unsupported = nodes.filter((n) => UNSUPPORTED_TYPES.has(n.type));
  if (unsupported.length)
    throw rejected(
      `Expected to modify instance of process '${pid}' but it contains one or more activate instructions for elements that are unsupported: '${list(unsupported.map((n) => n.id))}'. The activation of elements with type '${list(unsupported.map((n) => n.type))}' is not supported. Supported element types are: ${SUPPORTED_TYPES}.`,
    );

  const gone = terminations.filter((k) => {
    const el = ctx.element(k);
    return !el || !ctx.isActive(el);
  });
  if (gone.length)
    throw rejected(
      `Expected to modify instance of process '${pid}' but it contains one or more terminate instructions with an element instance that could not be found: '${list(gone)}'`,
    );

  const scopeIds = activations.flatMap((a) => (a.variableInstructions ?? []).map((v) => v.scopeId ?? ''));
  const unknownScopes = scopeIds.filter((id) => id !== '' && !model.nodes.has(id));
  if (unknownScopes.length)
    throw rejected(
      `Expected to modify instance of process '${pid}' but it contains one or more variable instructions with a scope element id that could not be found: '${list(unknownScopes)}'`,
    );
  const outsideFlowScope = activations.some((a) => {
    const scopes = new Set(flowScopeIds(model, model.nodes.get(a.elementId)!));
    return (a.variableInstructions ?? []).some(
      (v) => !!v.scopeId && v.scopeId !== a.elementId && !scopes.has(v.scopeId),
    );
  });
  if (outsideFlowScope)
    throw rejected(
      `Expected to modify instance of process '${pid}' but it contains one or more variable instructions with a scope element that doesn't belong to the activating element's flow scope. These variables should be set before or after the modification.`,
    );

  const ancestorKeys = activations.map(ancestorKeyOf).filter((k): k is string => k !== null);
  const inactive = ancestorKeys.filter((k) => {
    const el = ctx.element(k);
    return !el || !ctx.isActive(el);
  });
  if (inactive.length)
    // An element instance of another process instance is not loaded here, so it reads as not found (Zeebe
    // tells the two apart; both are INVALID_ARGUMENT).
    throw rejected(
      `Expected to modify instance of process '${pid}' but it contains one or more activate instructions with an ancestor scope key that does not exist, or is not in an active state: '${list(inactive)}'`,
    );
  const notAncestor = activations
    .filter((a) => ancestorKeyOf(a) !== null)
    .map((a) => ({ a, ancestor: ctx.element(ancestorKeyOf(a)!)! }))
    .filter(({ a, ancestor }) => !flowScopeIds(model, model.nodes.get(a.elementId)!).includes(ancestor.element_id))
    .map(
      ({ a, ancestor }) =>
        `\n- instance '${ancestor.key}' of element '${ancestor.element_id}' is not an ancestor of element '${a.elementId}'`,
    );
  if (notAncestor.length)
    throw rejected(
      `Expected to modify instance of process '${pid}' but it contains one or more activate instructions with an ancestor scope key that is not an ancestor of the element to activate:${notAncestor.join('')}`,
    );

  const conflicts: string[] = [];
  for (const key of terminations) {
    const terminated = ctx.element(key)!;
    for (const a of activations) {
      const ancestor = ancestorKeyOf(a);
      const clash =
        ancestor !== null
          ? ancestor === key
          : flowScopeIds(model, model.nodes.get(a.elementId)!).includes(terminated.element_id);
      if (clash)
        conflicts.push(`element '${a.elementId}' requires flow scope instance '${key}' which is being terminated`);
    }
  }
  if (conflicts.length)
    throw rejected(
      `Expected to modify instance of process '${pid}' but it contains one or more activate instructions for elements whose required flow scope instance is also being terminated: ${conflicts.join(', ')}. Please provide a valid ancestor scope key for the activation or avoid terminating the required flow scope.`,
    );
}

function afterEventBasedGateway(model: ProcessModel, sourceId: string): boolean {
  return model.nodes.get(sourceId)?.type === 'EVENT_BASED_GATEWAY';
}

// ---------------------------------------------------------------- activation

/**
 * Finds or creates the flow scope instances of the element, sets the instruction's variables on them, and
 * activates the element. Returns the keys of its flow scope instances (they must outlive the terminations).
 */
function activate(ctx: InstanceContext, a: ActivateInstruction): string[] {
  const model = ctx.model;
  const node = model.nodes.get(a.elementId)!;
  const chain = flowScopeIds(model, node); // innermost first, the process last
  const ancestorKey = ancestorKeyOf(a);

  // The innermost existing scope instance to build on: the chosen ancestor, else the one active instance of the
  // nearest scope that has any (more than one cannot be decided, as in Zeebe).
  let depth: number;
  let scope: ElementInstanceRow;
  if (ancestorKey !== null) {
    scope = ctx.element(ancestorKey)!;
    depth = chain.indexOf(scope.element_id);
  } else {
    depth = chain.length - 1;
    scope = ctx.element(ctx.pi.key)!;
    for (let i = 0; i < chain.length - 1; i++) {
      const found = scopeInstances(ctx, chain[i]);
      if (found.length > 1)
        throw rejected(
          `Expected to modify instance of process '${ctx.pi.bpmn_process_id}' but it contains one or more activate instructions for an element that has a flow scope with more than one active instance: '${chain[i]}'. Can't decide in which instance of the flow scope the element should be activated. Please specify an ancestor element instance key for this activate instruction.`,
        );
      if (found.length === 1) {
        depth = i;
        scope = found[0];
        break;
      }
    }
  }

  const multiInstance = (id: string) =>
    rejected(
      `Expected to modify instance of process '${ctx.pi.bpmn_process_id}' but it contains one or more activate instructions that would result in the activation of multi-instance element '${id}', which is currently unsupported.`,
    );
  // A multi-instance body as the ancestor would need a new inner instance.
  if (scope.element_type === 'MULTI_INSTANCE_BODY') throw multiInstance(scope.element_id);
  const scopes = [...parentsOf(ctx, scope).reverse(), scope]; // outermost first
  for (const s of scopes) setVariablesOf(ctx, a, s);
  for (let i = depth - 1; i >= 0; i--) {
    const container = model.nodes.get(chain[i])!;
    if (container.loop) throw multiInstance(container.id);
    scopes.push(createFlowScope(ctx, container, scopes[scopes.length - 1].key, (el) => setVariablesOf(ctx, a, el)));
  }
  const el = ctx.activate(node, scopes[scopes.length - 1].key);
  setVariablesOf(ctx, a, el);
  return scopes.map((s) => s.key);
}

/** Active instances of a container, leaving out multi-instance bodies (their inner instances are the scopes). */
function scopeInstances(ctx: InstanceContext, elementId: string): ElementInstanceRow[] {
  return [...ctx.elements.values()].filter(
    (e) => e.element_id === elementId && e.element_type !== 'MULTI_INSTANCE_BODY' && ctx.isActive(e),
  );
}

function parentsOf(ctx: InstanceContext, el: ElementInstanceRow): ElementInstanceRow[] {
  const out: ElementInstanceRow[] = [];
  for (let p = el.flow_scope_key ? ctx.element(el.flow_scope_key) : undefined; p;) {
    out.push(p);
    p = p.flow_scope_key ? ctx.element(p.flow_scope_key) : undefined;
  }
  return out;
}

/**
 * A flow scope created for a modification is entered without running its content (no start event) and without
 * input mappings, as Zeebe does: ACTIVATING, the instruction's variables, its boundary and event sub-process
 * subscriptions, ACTIVATED.
 */
function createFlowScope(
  ctx: InstanceContext,
  container: FlowNode,
  parentKey: string,
  setVariables: (el: ElementInstanceRow) => void,
): ElementInstanceRow {
  const el = ctx.activate(container, parentKey);
  // ctx.activate queued the scope's own activation (its start event): a modification does not run it.
  const step = ctx.queue.pop();
  if (step?.el !== el) throw new Error('modification: the flow scope activation was not the last queued step');
  setVariables(el);
  for (const hook of ctx.hooks.onActivating ?? []) hook(ctx, el);
  ctx.activated(el);
  return el;
}

/** The instruction's variables for this scope, local to its instance (the process: scopeId "" or its id). */
function setVariablesOf(ctx: InstanceContext, a: ActivateInstruction, el: ElementInstanceRow): void {
  if (el.element_type === 'MULTI_INSTANCE_BODY') return; // its inner instance is the scope of that id
  for (const v of a.variableInstructions ?? []) {
    const scopeId = v.scopeId || ctx.pi.bpmn_process_id;
    if (scopeId === el.element_id) ctx.setLocalDocument(el.key, v.variables);
  }
}

// ---------------------------------------------------------------- termination

/**
 * Terminates an element instance (and what it contains), then each flow scope left with nothing active, no
 * token waiting at a join and no activation of this command in it — terminated, not completed, as in Zeebe; the
 * process instance too when its last element goes. A called instance may not be emptied that way: its parent
 * decides (Zeebe's rejection).
 */
function terminateWithEmptyScopes(ctx: InstanceContext, key: string, required: Set<string>): void {
  let el: ElementInstanceRow | undefined = ctx.element(key);
  if (!el || !ctx.isActive(el)) return; // already gone with an earlier instruction's scope
  while (el) {
    if (el.element_type === 'PROCESS' && ctx.pi.parent_process_instance_key)
      throw rejected(
        `Expected to modify instance of process '${ctx.pi.bpmn_process_id}' but the given instructions would terminate the instance. The instance was created by a call activity in the parent process. To terminate this instance please modify the parent process instead.`,
      );
    ctx.runTermination(el);
    const scope: ElementInstanceRow | undefined = el.flow_scope_key ? ctx.element(el.flow_scope_key) : undefined;
    if (!scope || scope.state !== 'ACTIVATED' || required.has(scope.key)) return;
    if (ctx.activeChildren(scope.key).length || ctx.waitingTokens(scope.key) > 0) return;
    // The scope was told its child ended and queued its completion; terminating it first makes that a no-op.
    el = scope;
  }
}
