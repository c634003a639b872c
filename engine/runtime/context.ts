import type { Expr, FlowNode, ProcessModel, SequenceFlow } from '../model/types.js';
import type {
  ContinuationRow,
  ElementInstanceRow,
  IncidentRow,
  JobRow,
  MultiInstanceBodyRow,
  ProcessInstanceRow,
  RecordRow,
  TableName,
  TakenFlowRow,
  UserTaskRow,
  VariableRow,
} from '../store/rows.js';
import type { KeyAllocator } from '../store/keys.js';
import { evaluateFeel, FeelError, inputMappings, outputMappings } from '../expression/feel.js';
import { IncidentError, type IncidentErrorType } from './incident-error.js';
import { behaviorOf } from '../elements/registry.js';
import { awaitNextListener } from './execution-listeners.js';
import { keepScratch, restoreScratch } from './scratch.js';

const ACTIVE_STATES = new Set(['ACTIVATING', 'ACTIVATED', 'COMPLETING', 'TERMINATING']);

/** Rows of other kinds (timers, message subscriptions …) that extensions load and clean up. */
export interface GenericRow {
  key: string;
  state: string;
  element_instance_key: string | null;
  [col: string]: unknown;
}

export interface InstanceState {
  pi: ProcessInstanceRow;
  elements: ElementInstanceRow[];
  variables: VariableRow[];
  takenFlows: TakenFlowRow[];
  jobs: JobRow[];
  userTasks: UserTaskRow[];
  incidents: IncidentRow[];
  timers: GenericRow[];
  subscriptions: GenericRow[];
  multiInstanceBodies?: MultiInstanceBodyRow[];
  /** Its continuation (at most one): steps a straight-through run left for a later transaction. */
  continuations?: ContinuationRow[];
  /** Latest form key per form id referenced by the model (user tasks link forms by id). */
  forms: Map<string, string>;
}

/** Hooks the events helper plugs in (error catching, cleanup of its own rows on termination). */
export interface RuntimeHooks {
  /** Find and trigger a catch event for a thrown BPMN error; return true when caught. */
  catchError: Array<
    (
      ctx: InstanceContext,
      source: ElementInstanceRow,
      errorCode: string,
      errorMessage: string,
      variables: Record<string, unknown> | null,
    ) => boolean
  >;
  /** Called when an element is terminated (after jobs/user tasks/timers/subscriptions are cancelled). */
  onTerminate: Array<(ctx: InstanceContext, el: ElementInstanceRow) => void>;
  /** Called when a process instance reaches COMPLETED or TERMINATED (call activity parent notification). */
  onProcessEnd: Array<(ctx: InstanceContext) => void>;
  /** After input mappings, before the behaviour: opens boundary / event sub-process subscriptions (events helper). */
  onActivating?: Array<(ctx: InstanceContext, el: ElementInstanceRow) => void>;
  /** The element is COMPLETING: closes what it still holds open (boundary subscriptions, timers). */
  onCompleting?: Array<(ctx: InstanceContext, el: ElementInstanceRow) => void>;
}

/**
 * A queued step of the element lifecycle. Steps are data, not closures, so that a run split across
 * transactions can leave the rest of its queue in a continuation row (continuation.ts).
 */
export type Step =
  | { kind: 'activate' | 'complete' | 'terminate'; el: ElementInstanceRow }
  /** A token arrived at a joining gateway of the flow scope `el`: fire it if its rule is satisfied. */
  | { kind: 'join'; el: ElementInstanceRow; gatewayId: string };

/** How far one context runs its instance (Runtime options; continuation.ts). */
export interface StepLimits {
  /** Steps one transaction runs before it commits and leaves the rest to a continuation. */
  stepsPerTransaction: number;
  /** Steps without every token waiting after which the run stops with an incident (runaway loop). */
  maxStepsWithoutWait: number;
}

export const DEFAULT_STEP_LIMITS: StepLimits = { stepsPerTransaction: 1_000, maxStepsWithoutWait: 100_000 };

/**
 * A long run gives the event loop back every this many steps (requests, polls, other transactions of
 * this process go on; the run keeps its transaction): a step costs up to ≈ 0.25 ms (a FEEL script).
 */
const STEPS_BETWEEN_YIELDS = 100;

/**
 * The unit of work of one command on one process instance: the instance's rows loaded once,
 * mutated in memory by the lifecycle and the behaviours, and flushed in the same transaction.
 */
export class InstanceContext {
  readonly pi: ProcessInstanceRow;
  readonly elements = new Map<string, ElementInstanceRow>();
  readonly variables = new Map<string, Map<string, VariableRow>>();
  readonly takenFlows = new Map<string, TakenFlowRow>();
  readonly jobs = new Map<string, JobRow>();
  readonly userTasks = new Map<string, UserTaskRow>();
  readonly incidents = new Map<string, IncidentRow>();
  readonly timers = new Map<string, GenericRow>();
  readonly subscriptions = new Map<string, GenericRow>();
  /** State of the active multi-instance bodies, by body key. */
  readonly multiInstanceBodies = new Map<string, MultiInstanceBodyRow>();
  /** Job / user-task completion variables awaiting the element's output mappings (Zeebe's temporary variables). */
  readonly temporaryVariables = new Map<string, Record<string, unknown>>();
  /** Flows a gateway chose on activation, taken when it completes. */
  readonly chosenFlows = new Map<string, SequenceFlow[]>();
  readonly dirty = new Map<TableName, Map<string, Record<string, unknown>>>();
  readonly deleted = new Map<TableName, Map<string, Record<string, unknown>>>();
  readonly records: RecordRow[] = [];
  readonly queue: Step[] = [];
  readonly afterCommit: Array<() => void> = [];
  readonly forms: Map<string, string>;
  /** Job types that got activatable jobs (the runtime wakes long polls after commit). */
  readonly jobTypesCreated = new Set<string>();

  // ---- straight-through runs across transactions (continuation.ts)
  /** The continuation row the instance was loaded with (its steps are now in `queue` or `halted`). */
  readonly continuation: ContinuationRow | null;
  /** Steps since every token of the instance last waited; carried over by continuations. */
  stepsWithoutWait = 0;
  /** Steps this context ran in this transaction. */
  stepsRun = 0;
  /** The transaction's step budget is spent: what is still queued is left to a continuation. */
  suspended = false;
  /** Steps stopped by the runaway guard until their incident is resolved (then they run again, count reset). */
  halted: { incidentKey: string; steps: Step[] } | null = null;
  /** The first `carried` queued steps came from the continuation: they run before the command's own. */
  private carried = 0;

  constructor(
    state: InstanceState,
    readonly model: ProcessModel,
    readonly keys: KeyAllocator,
    readonly now: Date,
    /** Who caused the command (user, or the worker of a job); commands on a job set it to the job's worker. */
    public actor: string | null,
    readonly hooks: RuntimeHooks,
    readonly limits: StepLimits = DEFAULT_STEP_LIMITS,
  ) {
    this.pi = state.pi;
    this.forms = state.forms;
    for (const e of state.elements) this.elements.set(e.key, e);
    for (const v of state.variables) this.scopeVars(v.scope_key).set(v.name, v);
    for (const t of state.takenFlows) this.takenFlows.set(takenKey(t.flow_scope_key, t.gateway_id, t.flow_id), t);
    for (const j of state.jobs) this.jobs.set(j.key, j);
    for (const u of state.userTasks) this.userTasks.set(u.key, u);
    for (const i of state.incidents) this.incidents.set(i.key, i);
    for (const t of state.timers) this.timers.set(t.key, t);
    for (const s of state.subscriptions) this.subscriptions.set(s.key, s);
    for (const m of state.multiInstanceBodies ?? []) this.multiInstanceBodies.set(m.key, m);
    this.continuation = state.continuations?.[0] ?? null;
    if (this.continuation) this.takeOver(this.continuation);
  }

  /** Queues (or, while halted, holds) the steps a continuation left, with the state they need. */
  private takeOver(c: ContinuationRow): void {
    restoreScratch(this, JSON.parse(c.scratch) as Record<string, unknown>);
    const steps: Step[] = [];
    for (const [kind, key, gatewayId] of JSON.parse(c.steps) as Array<[Step['kind'], string, string?]>) {
      // A step of an element that is no longer active would do nothing: it is not loaded, and dropped.
      const el = this.elements.get(key);
      if (!el) continue;
      steps.push(kind === 'join' ? { kind, el, gatewayId: gatewayId! } : { kind, el });
    }
    if (c.incident_key) {
      this.halted = { incidentKey: c.incident_key, steps };
      return;
    }
    this.queue.push(...steps);
    this.carried = steps.length;
    this.stepsWithoutWait = Number(c.steps_without_wait);
  }

  // ---------------------------------------------------------------- rows & records

  nextKey(): string {
    return this.keys.take();
  }

  /** Marks a row for the flush (insert or update). */
  save(table: TableName, row: object): void {
    let m = this.dirty.get(table);
    if (!m) this.dirty.set(table, (m = new Map()));
    m.set(rowId(table, row as Record<string, unknown>), row as Record<string, unknown>);
  }

  remove(table: TableName, row: object): void {
    const id = rowId(table, row as Record<string, unknown>);
    this.dirty.get(table)?.delete(id);
    let m = this.deleted.get(table);
    if (!m) this.deleted.set(table, (m = new Map()));
    m.set(id, row as Record<string, unknown>);
  }

  record(
    valueType: string,
    intent: string,
    key: string,
    value: Record<string, unknown>,
    el?: ElementInstanceRow | null,
  ): void {
    this.records.push({
      key,
      value_type: valueType,
      intent,
      process_instance_key: this.pi.key,
      element_instance_key: el?.key ?? null,
      flow_scope_key: el?.flow_scope_key ?? null,
      element_id: el?.element_id ?? null,
      element_type: el?.element_type ?? null,
      process_definition_key: this.pi.process_definition_key,
      bpmn_process_id: this.pi.bpmn_process_id,
      version: this.pi.version,
      tenant_id: this.pi.tenant_id,
      actor: this.actor,
      timestamp: this.now,
      value,
    });
  }

  node(elementId: string): FlowNode {
    const n = this.model.nodes.get(elementId);
    if (!n) throw new Error(`element ${elementId} not in model ${this.model.bpmnProcessId}`);
    return n;
  }

  element(key: string): ElementInstanceRow | undefined {
    return this.elements.get(key);
  }

  isActive(el: ElementInstanceRow): boolean {
    return ACTIVE_STATES.has(el.state);
  }

  activeChildren(scopeKey: string): ElementInstanceRow[] {
    const out: ElementInstanceRow[] = [];
    for (const e of this.elements.values())
      if (e.flow_scope_key === scopeKey && ACTIVE_STATES.has(e.state)) out.push(e);
    return out;
  }

  /** Tokens waiting at joining gateways of a flow scope (Zeebe keeps the scope open for them). */
  waitingTokens(scopeKey: string): number {
    let n = 0;
    for (const t of this.takenFlows.values()) if (t.flow_scope_key === scopeKey) n += t.count;
    return n;
  }

  /** A PROCESS_INSTANCE record about an element that is not a state change (COMPLETE_EXECUTION_LISTENER). */
  recordElement(el: ElementInstanceRow, intent: string): void {
    this.record('PROCESS_INSTANCE', intent, el.key, this.processRecordValue(el), el);
  }

  private processRecordValue(el: ElementInstanceRow): Record<string, unknown> {
    const node = this.model.nodes.get(el.element_id);
    return {
      bpmnElementType: el.element_type,
      elementId: el.element_id,
      flowScopeKey: el.flow_scope_key ?? '-1',
      bpmnEventType: node?.eventType ?? 'UNSPECIFIED',
      parentProcessInstanceKey: this.pi.parent_process_instance_key ?? '-1',
      parentElementInstanceKey: this.pi.parent_element_instance_key ?? '-1',
    };
  }

  private transition(el: ElementInstanceRow, state: ElementInstanceRow['state']): void {
    el.state = state;
    if (state === 'COMPLETED' || state === 'TERMINATED') el.end_date = this.now;
    this.save('element_instance', el);
    this.record('PROCESS_INSTANCE', `ELEMENT_${state}`, el.key, this.processRecordValue(el), el);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Creates the element instance (ACTIVATING) and queues its activation. */
  activate(node: FlowNode, flowScopeKey: string | null, key?: string): ElementInstanceRow {
    const el: ElementInstanceRow = {
      key: key ?? this.nextKey(),
      process_instance_key: this.pi.key,
      process_definition_key: this.pi.process_definition_key,
      bpmn_process_id: this.pi.bpmn_process_id,
      element_id: node.id,
      element_name: node.name ?? null,
      // An activity with loop characteristics is entered through its multi-instance body, which creates the inner instances.
      element_type:
        node.loop && !this.isInnerInstance({ flow_scope_key: flowScopeKey }) ? 'MULTI_INSTANCE_BODY' : node.type,
      flow_scope_key: flowScopeKey,
      state: 'ACTIVATING',
      start_date: this.now,
      end_date: null,
      incident_key: null,
      loop_counter: null,
      tenant_id: this.pi.tenant_id,
      listener_index: 0,
    };
    this.elements.set(el.key, el);
    this.transition(el, 'ACTIVATING');
    this.queue.push({ kind: 'activate', el });
    return el;
  }

  /**
   * Input mappings, start execution listeners (one job at a time; each completion re-enters here at the
   * next one), then the behaviour. Re-run as is when an activation incident is resolved.
   */
  runActivation(el: ElementInstanceRow): void {
    if (el.state !== 'ACTIVATING') return;
    const node = this.node(el.element_id);
    // Once a start listener completed, the mappings already ran (and a listener may have overridden them).
    if (node.inputs.length && el.element_type !== 'MULTI_INSTANCE_BODY' && el.listener_index === 0) {
      const doc = this.mappingsOrIncident(() =>
        inputMappings(node.inputs.map(rawMapping), this.visibleVariables(this.mappingScopeKey(el)), this.now),
      );
      for (const [name, value] of Object.entries(doc)) this.setLocal(el.key, name, value, el);
    }
    if (awaitNextListener(this, el, node, 'start')) return;
    for (const hook of this.hooks.onActivating ?? []) hook(this, el);
    behaviorOf(node, el).onActivate(this, el, node);
  }

  activated(el: ElementInstanceRow): void {
    if (el.state === 'ACTIVATING') this.transition(el, 'ACTIVATED');
  }

  /** Queues the completion of an ACTIVATED element. */
  complete(el: ElementInstanceRow): void {
    this.queue.push({ kind: 'complete', el });
  }

  /**
   * COMPLETING: the behaviour's last word and output mappings, end execution listeners (each completion
   * re-enters here at the next one, past the mappings), then COMPLETED and leaving the element.
   */
  runCompletion(el: ElementInstanceRow): void {
    if (el.state === 'ACTIVATED') {
      el.listener_index = 0;
      this.transition(el, 'COMPLETING');
    }
    if (el.state !== 'COMPLETING') return;
    const node = this.node(el.element_id);
    const behavior = behaviorOf(node, el);
    if (el.listener_index === 0) {
      for (const hook of this.hooks.onCompleting ?? []) hook(this, el);
      behavior.onCompleting?.(this, el, node);
      this.applyOutputMappings(el, node);
    }
    if (awaitNextListener(this, el, node, 'end')) return;
    const body = this.isInnerInstance(el) ? this.elements.get(el.flow_scope_key!)! : null;
    if (body) behaviorOf(node, body).onChildCompleting?.(this, body, el);
    this.transition(el, 'COMPLETED');
    if (el.element_type === 'PROCESS') {
      this.endProcess('COMPLETED');
      return;
    }
    if (body) {
      // An inner instance leaves through its multi-instance body (next instance or body completion).
    } else if (behavior.onCompleted) behavior.onCompleted(this, el, node);
    else this.takeFlows(el, node.outgoing);
    this.childDone(el);
  }

  /** Queues the termination of an element (and, through it, of its children). */
  terminate(el: ElementInstanceRow): void {
    this.queue.push({ kind: 'terminate', el });
  }

  runTermination(el: ElementInstanceRow): void {
    if (!ACTIVE_STATES.has(el.state) || el.state === 'TERMINATING') return;
    this.transition(el, 'TERMINATING');
    this.cleanUp(el);
    const node = this.node(el.element_id);
    behaviorOf(node, el).onTerminating?.(this, el, node);
    for (const hook of this.hooks.onTerminate) hook(this, el);
    const children = this.activeChildren(el.key);
    if (!children.length) this.finishTermination(el);
    else for (const c of children) this.runTerminationNow(c);
  }

  /** Children terminate depth-first within the parent's step, as Zeebe does. */
  private runTerminationNow(el: ElementInstanceRow): void {
    this.runTermination(el);
  }

  private finishTermination(el: ElementInstanceRow): void {
    this.transition(el, 'TERMINATED');
    this.clearWaitingTokens(el.key);
    if (el.element_type === 'PROCESS') {
      this.endProcess('TERMINATED');
      return;
    }
    this.childDone(el);
  }

  private childDone(child: ElementInstanceRow): void {
    if (!child.flow_scope_key) return;
    const scope = this.elements.get(child.flow_scope_key);
    if (!scope) return;
    if (scope.state === 'ACTIVATED' && this.waitingTokens(scope.key) > 0) this.recheckInclusiveJoins(scope.key);
    const behavior = behaviorOf(this.node(scope.element_id), scope);
    if (behavior.onChildDone) behavior.onChildDone(this, scope, child);
    else this.defaultChildDone(scope);
  }

  defaultChildDone(scope: ElementInstanceRow): void {
    if (this.activeChildren(scope.key).length) return;
    if (scope.state === 'TERMINATING') this.finishTermination(scope);
    else if (scope.state === 'ACTIVATED' && this.waitingTokens(scope.key) === 0) this.complete(scope);
  }

  private endProcess(state: 'COMPLETED' | 'TERMINATED'): void {
    this.pi.state = state;
    this.pi.end_date = this.now;
    this.save('process_instance', this.pi);
    for (const hook of this.hooks.onProcessEnd) hook(this);
  }

  /** Cancels what an element waits on: jobs, user tasks, timers, subscriptions; resolves its incidents. */
  private cleanUp(el: ElementInstanceRow): void {
    for (const job of this.jobs.values()) {
      if (
        job.element_instance_key !== el.key ||
        !['ACTIVATABLE', 'ACTIVATED', 'FAILED', 'ERROR_THROWN'].includes(job.state)
      )
        continue;
      job.state = 'CANCELED';
      job.updated_at = this.now;
      job.end_date = this.now;
      this.save('job', job);
      this.record('JOB', 'CANCELED', job.key, { type: job.type, retries: job.retries, worker: job.worker ?? '' }, el);
    }
    for (const task of this.userTasks.values()) {
      if (task.element_instance_key !== el.key || task.state !== 'CREATED') continue;
      task.state = 'CANCELED';
      task.completion_date = this.now;
      this.save('user_task', task);
      this.record('USER_TASK', 'CANCELED', task.key, { assignee: task.assignee ?? '' }, el);
    }
    for (const timer of this.timers.values()) {
      if (timer.element_instance_key !== el.key || timer.state !== 'CREATED') continue;
      timer.state = 'CANCELED';
      this.save('timer', timer);
      this.record('TIMER', 'CANCELED', timer.key, { targetElementId: timer.element_id }, el);
    }
    for (const sub of this.subscriptions.values()) {
      if (sub.element_instance_key !== el.key || sub.state !== 'CREATED') continue;
      sub.state = 'DELETED';
      sub.updated_at = this.now;
      this.save('message_subscription', sub);
      this.record('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETED', sub.key, { messageName: sub.message_name }, el);
    }
    for (const inc of this.incidents.values()) {
      if (inc.element_instance_key !== el.key || inc.state !== 'ACTIVE') continue;
      this.resolveIncidentRow(inc);
    }
  }

  /**
   * Marks an incident resolved. When it is the runaway guard's, the halted steps are queued again with
   * a fresh count (true): they carry on where they stopped, whatever resolved it.
   */
  resolveIncidentRow(inc: IncidentRow): boolean {
    inc.state = 'RESOLVED';
    inc.resolved_at = this.now;
    this.save('incident', inc);
    this.pi.incident_count = Math.max(0, this.pi.incident_count - 1);
    this.save('process_instance', this.pi);
    const el = this.elements.get(inc.element_instance_key);
    if (el && el.incident_key === inc.key) {
      el.incident_key = null;
      this.save('element_instance', el);
    }
    this.record(
      'INCIDENT',
      'RESOLVED',
      inc.key,
      { errorType: inc.error_type, errorMessage: inc.error_message, jobKey: inc.job_key ?? '-1' },
      el,
    );
    if (this.halted?.incidentKey !== inc.key) return false;
    this.queue.push(...this.halted.steps);
    this.halted = null;
    this.stepsWithoutWait = 0;
    return true;
  }

  raiseIncident(
    el: ElementInstanceRow,
    errorType: IncidentErrorType,
    message: string,
    jobKey: string | null = null,
  ): IncidentRow {
    const inc: IncidentRow = {
      key: this.nextKey(),
      error_type: errorType,
      error_message: message,
      state: 'ACTIVE',
      process_instance_key: this.pi.key,
      element_instance_key: el.key,
      element_id: el.element_id,
      job_key: jobKey,
      process_definition_key: this.pi.process_definition_key,
      bpmn_process_id: this.pi.bpmn_process_id,
      tenant_id: this.pi.tenant_id,
      created_at: this.now,
      resolved_at: null,
    };
    this.incidents.set(inc.key, inc);
    this.save('incident', inc);
    el.incident_key = inc.key;
    this.save('element_instance', el);
    this.pi.incident_count += 1;
    this.save('process_instance', this.pi);
    this.record('INCIDENT', 'CREATED', inc.key, { errorType, errorMessage: message, jobKey: jobKey ?? '-1' }, el);
    return inc;
  }

  // ---------------------------------------------------------------- sequence flows

  /** Takes flows out of a completed element: records them and activates their targets (or joins). */
  takeFlows(from: ElementInstanceRow, flows: SequenceFlow[]): void {
    const scopeKey = from.flow_scope_key!;
    for (const flow of flows) {
      const flowKey = this.nextKey();
      this.records.push({
        ...this.flowRecord(flow, flowKey, scopeKey),
      });
      const target = this.node(flow.targetId);
      if ((target.type === 'PARALLEL_GATEWAY' || target.type === 'INCLUSIVE_GATEWAY') && target.incoming.length > 1) {
        this.arriveAtJoin(target, flow, scopeKey);
      } else {
        this.activate(target, scopeKey);
      }
    }
  }

  private flowRecord(flow: SequenceFlow, key: string, scopeKey: string): RecordRow {
    return {
      key,
      value_type: 'PROCESS_INSTANCE',
      intent: 'SEQUENCE_FLOW_TAKEN',
      process_instance_key: this.pi.key,
      element_instance_key: key,
      flow_scope_key: scopeKey,
      element_id: flow.id,
      element_type: 'SEQUENCE_FLOW',
      process_definition_key: this.pi.process_definition_key,
      bpmn_process_id: this.pi.bpmn_process_id,
      version: this.pi.version,
      tenant_id: this.pi.tenant_id,
      actor: this.actor,
      timestamp: this.now,
      value: {
        bpmnElementType: 'SEQUENCE_FLOW',
        elementId: flow.id,
        flowScopeKey: scopeKey,
        sourceElementId: flow.sourceId,
        targetElementId: flow.targetId,
      },
    };
  }

  private arriveAtJoin(gateway: FlowNode, flow: SequenceFlow, scopeKey: string): void {
    const k = takenKey(scopeKey, gateway.id, flow.id);
    let t = this.takenFlows.get(k);
    if (!t) {
      t = {
        process_instance_key: this.pi.key,
        flow_scope_key: scopeKey,
        gateway_id: gateway.id,
        flow_id: flow.id,
        count: 0,
      };
      this.takenFlows.set(k, t);
    }
    t.count += 1;
    this.save('taken_flow', t);
    // Inclusive joins may become ready later, when other paths end: re-checked in tryFireJoins.
    this.queue.push({ kind: 'join', el: this.elements.get(scopeKey)!, gatewayId: gateway.id });
  }

  /** Fires a joining gateway once, consuming one token per incoming flow, if its rule is satisfied. */
  tryFireJoin(gateway: FlowNode, scopeKey: string): boolean {
    const taken = gateway.incoming.filter(
      (f) => (this.takenFlows.get(takenKey(scopeKey, gateway.id, f.id))?.count ?? 0) > 0,
    );
    if (!taken.length) return false;
    let ready: boolean;
    if (gateway.type === 'PARALLEL_GATEWAY') ready = taken.length === gateway.incoming.length;
    else ready = gateway.incoming.every((f) => taken.includes(f) || !this.canStillReach(f, scopeKey, gateway.id));
    if (!ready) return false;
    for (const f of taken) {
      const k = takenKey(scopeKey, gateway.id, f.id);
      const t = this.takenFlows.get(k)!;
      t.count -= 1;
      if (t.count === 0) {
        this.takenFlows.delete(k);
        this.remove('taken_flow', t);
      } else this.save('taken_flow', t);
    }
    this.activate(gateway, scopeKey);
    return true;
  }

  /** Inclusive join: can any active element (or waiting token) of the scope still reach this flow? */
  private canStillReach(flow: SequenceFlow, scopeKey: string, gatewayId: string): boolean {
    const starts: string[] = this.activeChildren(scopeKey).map((e) => e.element_id);
    for (const t of this.takenFlows.values())
      if (t.flow_scope_key === scopeKey && t.gateway_id !== gatewayId && t.count > 0) starts.push(t.gateway_id);
    const seen = new Set<string>();
    const stack = [...starts];
    while (stack.length) {
      const id = stack.pop()!;
      if (id === flow.sourceId) return true;
      if (seen.has(id) || id === gatewayId) continue;
      seen.add(id);
      const n = this.model.nodes.get(id);
      if (!n) continue;
      for (const o of n.outgoing) stack.push(o.targetId);
      for (const b of n.boundaryEventIds) stack.push(b);
    }
    return false;
  }

  /** Drops the tokens waiting at joins of a scope (terminate end event). */
  clearWaitingTokens(scopeKey: string): void {
    for (const [k, t] of this.takenFlows)
      if (t.flow_scope_key === scopeKey) {
        this.takenFlows.delete(k);
        this.remove('taken_flow', t);
      }
  }

  /** Re-checks inclusive joins of a scope after a path ended (a token that can no longer arrive). */
  recheckInclusiveJoins(scopeKey: string): void {
    const gateways = new Set<string>();
    for (const t of this.takenFlows.values())
      if (t.flow_scope_key === scopeKey && t.count > 0) gateways.add(t.gateway_id);
    for (const g of gateways) {
      const node = this.node(g);
      if (node.type === 'INCLUSIVE_GATEWAY') this.tryFireJoin(node, scopeKey);
    }
  }

  // ---------------------------------------------------------------- variables

  private scopeVars(scopeKey: string): Map<string, VariableRow> {
    let m = this.variables.get(scopeKey);
    if (!m) this.variables.set(scopeKey, (m = new Map()));
    return m;
  }

  /** Scope chain from the given scope up to the process instance (root last). */
  scopeChain(scopeKey: string): string[] {
    const chain: string[] = [];
    let k: string | null = scopeKey;
    while (k) {
      chain.push(k);
      if (k === this.pi.key) break;
      const el = this.elements.get(k);
      k = el?.flow_scope_key ?? this.pi.key;
    }
    return chain;
  }

  /** All variables visible from a scope, inner scopes shadowing outer ones. */
  visibleVariables(scopeKey: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.scopeChain(scopeKey).reverse()) {
      for (const [name, v] of this.variables.get(k) ?? []) out[name] = JSON.parse(v.value);
    }
    return out;
  }

  localVariables(scopeKey: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, v] of this.variables.get(scopeKey) ?? []) out[name] = JSON.parse(v.value);
    return out;
  }

  setLocal(scopeKey: string, name: string, value: unknown, el?: ElementInstanceRow | null): void {
    const json = JSON.stringify(value === undefined ? null : value);
    const vars = this.scopeVars(scopeKey);
    const existing = vars.get(name);
    const recordEl = el ?? this.elements.get(scopeKey) ?? null;
    if (existing) {
      if (existing.value === json) return;
      existing.value = json;
      this.save('variable', existing);
      this.record('VARIABLE', 'UPDATED', existing.key, { name, value: json, scopeKey }, recordEl);
      return;
    }
    const row: VariableRow = {
      key: this.nextKey(),
      name,
      value: json,
      scope_key: scopeKey,
      process_instance_key: this.pi.key,
      process_definition_key: this.pi.process_definition_key,
      bpmn_process_id: this.pi.bpmn_process_id,
      tenant_id: this.pi.tenant_id,
    };
    vars.set(name, row);
    this.save('variable', row);
    this.record('VARIABLE', 'CREATED', row.key, { name, value: json, scopeKey }, recordEl);
  }

  /** Zeebe's propagation: each variable goes to the nearest scope (from scopeKey up) defining it, else the root. */
  propagate(scopeKey: string, doc: Record<string, unknown>): void {
    const chain = this.scopeChain(scopeKey);
    for (const [name, value] of Object.entries(doc)) {
      const target = chain.find((k) => this.variables.get(k)?.has(name)) ?? this.pi.key;
      this.setLocal(target, name, value);
    }
  }

  setLocalDocument(scopeKey: string, doc: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(doc)) this.setLocal(scopeKey, name, value);
  }

  /** An inner instance of a multi-instance body (its flow scope is the body). */
  isInnerInstance(el: Pick<ElementInstanceRow, 'flow_scope_key'>): boolean {
    return !!el.flow_scope_key && this.elements.get(el.flow_scope_key)?.element_type === 'MULTI_INSTANCE_BODY';
  }

  /**
   * Where io mappings read (inputs) and write (outputs): the flow scope, except for an inner
   * multi-instance instance, which uses its own scope to reach its input/output element (Zeebe).
   */
  mappingScopeKey(el: ElementInstanceRow): string {
    return this.isInnerInstance(el) ? el.key : (el.flow_scope_key ?? this.pi.key);
  }

  private applyOutputMappings(el: ElementInstanceRow, node: FlowNode): void {
    if (el.element_type === 'MULTI_INSTANCE_BODY') return; // the inner instances apply the element's mappings
    const temp = this.temporaryVariables.get(el.key);
    if (temp) {
      this.temporaryVariables.delete(el.key);
      if (node.hasOutputMappings) this.setLocalDocument(el.key, temp);
      else this.propagate(el.key, temp);
    }
    if (node.hasOutputMappings) {
      const scopeKey = this.mappingScopeKey(el);
      const outer = this.visibleVariables(scopeKey);
      const doc = this.mappingsOrIncident(() =>
        outputMappings(node.outputs.map(rawMapping), this.visibleVariables(el.key), (name) => outer[name], this.now),
      );
      this.propagate(scopeKey, doc);
    }
  }

  private mappingsOrIncident(fn: () => Record<string, unknown>): Record<string, unknown> {
    try {
      return fn();
    } catch (e) {
      if (e instanceof FeelError) throw new IncidentError('IO_MAPPING_ERROR', e.message);
      throw e;
    }
  }

  // ---------------------------------------------------------------- expressions

  /** Evaluates a model value in a scope; a FEEL failure becomes an incident of the given type. */
  evaluate(
    e: Expr,
    scopeKey: string,
    errorType: IncidentErrorType = 'EXTRACT_VALUE_ERROR',
  ): { value: unknown; warnings: string[] } {
    if ('static' in e) return { value: e.static, warnings: [] };
    try {
      return evaluateFeel(e.feel, this.visibleVariables(scopeKey), this.now);
    } catch (err) {
      if (err instanceof FeelError) throw new IncidentError(errorType, err.message);
      throw err;
    }
  }

  evaluateAs(
    e: Expr,
    scopeKey: string,
    expected: 'STRING' | 'NUMBER' | 'BOOLEAN' | 'ARRAY' | 'STRING_OR_NULL',
    errorType: IncidentErrorType = 'EXTRACT_VALUE_ERROR',
  ): unknown {
    const { value, warnings } = this.evaluate(e, scopeKey, errorType);
    if ('static' in e) {
      if (expected === 'NUMBER') {
        const n = Number(e.static);
        if (Number.isFinite(n)) return n;
      } else if (expected === 'BOOLEAN') {
        if (e.static === 'true' || e.static === 'false') return e.static === 'true';
      } else return value;
    }
    const actual = typeName(value);
    const ok =
      (expected === 'STRING' && actual === 'STRING') ||
      (expected === 'STRING_OR_NULL' && (actual === 'STRING' || actual === 'NULL')) ||
      (expected === 'NUMBER' && actual === 'NUMBER') ||
      (expected === 'BOOLEAN' && actual === 'BOOLEAN') ||
      (expected === 'ARRAY' && actual === 'ARRAY');
    if (!ok) {
      const w = warnings.length ? ` The evaluation reported the following warnings:\n${warnings.join('\n')}` : '';
      throw new IncidentError(
        errorType,
        `Expected result of the expression '${e.raw.replace(/^\s*=\s*/, '')}' to be '${expected === 'STRING_OR_NULL' ? 'STRING' : expected}', but was '${actual}'.${w}`,
      );
    }
    return value;
  }

  // ---------------------------------------------------------------- jobs & errors

  createJob(el: ElementInstanceRow, node: FlowNode): JobRow {
    return this.createJobOf(el, node.taskDefinition!, node.taskHeaders);
  }

  /** A job for an element: its task definition, or an execution listener's (kind EXECUTION_LISTENER). */
  createJobOf(
    el: ElementInstanceRow,
    td: { type: Expr; retries: Expr },
    headers: Record<string, string>,
    kind = 'BPMN_ELEMENT',
    listenerEventType = 'UNSPECIFIED',
  ): JobRow {
    const type = this.evaluateAs(td.type, el.key, 'STRING') as string;
    const retries = Math.trunc(this.evaluateAs(td.retries, el.key, 'NUMBER') as number);
    const job: JobRow = {
      key: this.nextKey(),
      type,
      state: 'ACTIVATABLE',
      kind,
      listener_event_type: listenerEventType,
      retries,
      worker: null,
      deadline: null,
      retry_backoff_until: null,
      custom_headers: headers,
      error_message: null,
      error_code: null,
      process_instance_key: this.pi.key,
      element_instance_key: el.key,
      element_id: el.element_id,
      process_definition_key: this.pi.process_definition_key,
      bpmn_process_id: this.pi.bpmn_process_id,
      version: this.pi.version,
      tenant_id: this.pi.tenant_id,
      created_at: this.now,
      updated_at: this.now,
      end_date: null,
    };
    this.jobs.set(job.key, job);
    this.save('job', job);
    this.record(
      'JOB',
      'CREATED',
      job.key,
      {
        type,
        retries,
        customHeaders: headers,
        elementInstanceKey: el.key,
        jobKind: kind,
        jobListenerEventType: listenerEventType,
      },
      el,
    );
    this.jobTypesCreated.add(type);
    return job;
  }

  /**
   * A BPMN error thrown from an element (job error, error end event). Catch hooks (boundary events,
   * event sub-processes — events helper) get the first chance; uncaught → UNHANDLED_ERROR_EVENT incident.
   */
  throwError(
    source: ElementInstanceRow,
    errorCode: string,
    errorMessage: string,
    variables: Record<string, unknown> | null,
    jobKey: string | null = null,
  ): void {
    for (const catcher of this.hooks.catchError) if (catcher(this, source, errorCode, errorMessage, variables)) return;
    const msg = errorMessage
      ? `Expected to throw an error event with the code '${errorCode}' with message '${errorMessage}', but it was not caught. No error events are available in the scope.`
      : `Expected to throw an error event with the code '${errorCode}', but it was not caught. No error events are available in the scope.`;
    this.raiseIncident(source, 'UNHANDLED_ERROR_EVENT', msg, jobKey);
  }

  // ---------------------------------------------------------------- loop

  /** Are there queued steps this transaction may still run? */
  get runnable(): boolean {
    return this.queue.length > 0 && !this.suspended;
  }

  /**
   * Runs queued steps until every token waits, at most `maxSteps` of them, and no more than the
   * transaction's budget (`limits.stepsPerTransaction`): then the context is `suspended` and what is
   * still queued goes to a continuation at the flush. Past `limits.maxStepsWithoutWait` steps without
   * every token waiting, the run halts with an incident (haltRunaway). Keys are topped up between steps.
   */
  async run(maxSteps = Infinity): Promise<void> {
    for (let n = 0; n < maxSteps && this.queue.length && !this.suspended; n++) {
      if (this.stepsRun >= this.limits.stepsPerTransaction) {
        this.suspended = true;
        return;
      }
      if (this.stepsWithoutWait >= this.limits.maxStepsWithoutWait && this.haltRunaway()) return;
      if (this.keys.available < 64) await this.keys.ensure(256);
      else if (this.stepsRun && this.stepsRun % STEPS_BETWEEN_YIELDS === 0)
        await new Promise<void>((resolve) => setImmediate(resolve));
      const step = this.queue.shift()!;
      if (this.carried) this.carried--;
      this.stepsRun++;
      this.stepsWithoutWait++;
      try {
        this.runStep(step);
      } catch (e) {
        if (!(e instanceof IncidentError)) throw e;
        this.raiseIncident(step.el, e.errorType, e.message);
      }
    }
    if (!this.queue.length) this.stepsWithoutWait = 0;
  }

  /**
   * Runs the steps carried over from an earlier transaction before the command's own changes: they
   * were queued first (in Zeebe, their records precede the command in the log). Their records carry
   * the actor of the run they belong to.
   */
  async runCarried(): Promise<void> {
    if (!this.carried) return;
    const own = this.actor;
    this.actor = this.continuation?.actor ?? own;
    try {
      await this.run(this.carried);
    } finally {
      this.actor = own;
    }
  }

  /** The continuation's actor takes over the context (a follow-up transaction of a run: continuation.ts). */
  actAsContinuation(): void {
    if (this.continuation && !this.continuation.incident_key) this.actor = this.continuation.actor;
  }

  private runStep(step: Step): void {
    switch (step.kind) {
      case 'activate':
        return this.runActivation(step.el);
      case 'complete':
        return this.runCompletion(step.el);
      case 'terminate':
        return this.runTermination(step.el);
      case 'join':
        this.tryFireJoin(this.node(step.gatewayId), step.el.key);
    }
  }

  /**
   * The runaway guard: the instance took `maxStepsWithoutWait` steps without every token waiting. An
   * incident (UNKNOWN, as Zeebe has no type of its own for this) is raised on the element the next
   * step belongs to, and the queued steps are held until it is resolved. Returns false when no queued
   * step belongs to an active element: those steps do nothing, and may as well run.
   */
  private haltRunaway(): boolean {
    const el = this.queue.find((s) => this.isActive(s.el))?.el;
    if (!el) {
      this.stepsWithoutWait = 0;
      return false;
    }
    const steps = this.queue.splice(0);
    this.carried = 0;
    if (this.halted) {
      // Already halted (steps queued meanwhile, in this transaction, looped as well): they wait with the others.
      this.halted.steps.push(...steps);
    } else {
      const n = this.limits.maxStepsWithoutWait;
      const inc = this.raiseIncident(
        el,
        'UNKNOWN',
        `The process instance took ${n} steps without reaching a wait state (a job, user task, timer, message or other event to wait for); it may be looping. Resolving this incident lets it continue for another ${n} steps.`,
      );
      this.halted = { incidentKey: inc.key, steps };
    }
    this.stepsWithoutWait = 0;
    return true;
  }
}

// Per-command state of the core that queued steps need: a continuation carries it (scratch.ts).
keepScratch('temporaryVariables', {
  save: (ctx) => (ctx.temporaryVariables.size ? Object.fromEntries(ctx.temporaryVariables) : undefined),
  restore(ctx, data) {
    for (const [k, v] of Object.entries(data as Record<string, Record<string, unknown>>))
      ctx.temporaryVariables.set(k, v);
  },
});
keepScratch('chosenFlows', {
  save: (ctx) =>
    ctx.chosenFlows.size
      ? Object.fromEntries([...ctx.chosenFlows].map(([k, flows]) => [k, flows.map((f) => f.id)]))
      : undefined,
  restore(ctx, data) {
    for (const [k, ids] of Object.entries(data as Record<string, string[]>)) {
      const flows = ids.map((id) => ctx.model.flows.get(id)).filter((f): f is SequenceFlow => !!f);
      ctx.chosenFlows.set(k, flows);
    }
  },
});

export function takenKey(scope: string, gateway: string, flow: string): string {
  return `${scope}|${gateway}|${flow}`;
}

function rowId(table: TableName, row: Record<string, unknown>): string {
  if (table === 'taken_flow')
    return takenKey(row.flow_scope_key as string, row.gateway_id as string, row.flow_id as string);
  if (table === 'message_correlation') return `${row.message_key}|${row.process_instance_key}`;
  if (table === 'continuation') return row.process_instance_key as string;
  return row.key as string;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return 'STRING';
  if (typeof v === 'number') return 'NUMBER';
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (Array.isArray(v)) return 'ARRAY';
  return 'OBJECT';
}

function rawMapping(m: { source: Expr; target: string }): { source: string; target: string } {
  return { source: m.source.raw, target: m.target };
}
