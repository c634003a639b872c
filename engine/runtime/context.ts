import type pg from 'pg';
import type { Expr, FlowNode, ProcessModel, SequenceFlow } from '../model/types.js';
import type {
  CompensationSubscriptionRow,
  ContinuationRow,
  ElementInstanceRow,
  IncidentRow,
  JobRow,
  MultiInstanceBodyRow,
  ProcessDefinitionRow,
  ProcessInstanceRow,
  RecordRow,
  TableName,
  UserTaskRow,
} from '../store/rows.js';
import type { GenericRow, InstanceState } from '../store/rows.js';
import type { KeyAllocator } from '../store/keys.js';
import type { Step, UnitOfWork } from './unit-of-work.js';
import type { EventsPort } from './events/port.js';
import { evaluate, evaluateAs, type ExpectedType, type FeelResult } from './expressions.js';
import { Variables } from './variables.js';
import { Joins, takenKey } from './joins.js';
import type { IncidentErrorType } from './incident-error.js';
import { DEFAULT_STEP_LIMITS, RunLoop, type StepLimits, type StepRunner } from './run-loop.js';
import { behaviorOf, type BehaviorTable } from '../elements/behavior.js';
import { awaitNextListener } from './execution-listeners.js';
import { keepScratch, restoreScratch } from './scratch.js';
import { cancelJob, createJob, OPEN_JOB_STATES } from './rows/job-changes.js';
import { raiseIncident, resolveIncident } from './rows/incident-changes.js';
import { OPEN_USER_TASK_STATES } from './rows/user-task-changes.js';
import { cancelTimer } from './rows/timer-changes.js';
import { deleteMessageSubscription } from './rows/message-subscription-changes.js';

const ACTIVE_STATES = new Set(['ACTIVATING', 'ACTIVATED', 'COMPLETING', 'TERMINATING']);

// The rows an instance is loaded with are the store's shapes (store/rows.ts); re-exported for the runtime.
export type { GenericRow, InstanceState } from '../store/rows.js';

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
  /**
   * Cancels an open user task of a terminated element; true while its canceling listeners run. The runtime sets
   * task-listeners.ts's, handed in so that the context does not import the listeners (they take the context).
   */
  cancelUserTask: (ctx: InstanceContext, task: UserTaskRow, el: ElementInstanceRow) => boolean;
  /** After input mappings, before the behaviour: opens boundary / event sub-process subscriptions (events helper). */
  onActivating?: Array<(ctx: InstanceContext, el: ElementInstanceRow) => void>;
  /** The element is COMPLETING: closes what it still holds open (boundary subscriptions, timers). */
  onCompleting?: Array<(ctx: InstanceContext, el: ElementInstanceRow) => void>;
  /** The events runtime's after-commit port (scheduler wake-ups), set by the events feature (events/index.ts). */
  events?: EventsPort;
}

export type { Step } from './unit-of-work.js';

/**
 * One transaction's set of loaded instances, as the parent-child work queued on a context sees it
 * (call activities, escalations and compensation reaching another instance). Implemented by
 * parent-child.ts, declared here so that the context does not import it.
 */
export interface ParentChildSession {
  readonly client: pg.PoolClient;
  /** Every instance of the transaction, loaded or started, by key (the root command's first). */
  readonly contexts: Map<string, InstanceContext>;
  /** The instance's context in this transaction: already loaded, or locked and loaded now. */
  load(piKey: string): Promise<InstanceContext | null>;
  /** Creates a process instance (a call activity's child) in this transaction and runs it. */
  start(
    def: ProcessDefinitionRow,
    model: ProcessModel,
    opts: {
      variables: Record<string, unknown>;
      actor: string | null;
      parent: { processInstanceKey: string; elementInstanceKey: string };
    },
  ): Promise<InstanceContext>;
  /** The parsed model of a deployed process definition. */
  model(def: ProcessDefinitionRow): Promise<ProcessModel>;
  /** Child instances of an element instance: the ones started in this transaction, else the stored ones. */
  childInstanceKeys(elementInstanceKey: string): Promise<string[]>;
  /** Runs queued work and the steps it causes until every instance of the transaction waits. */
  settle(): Promise<void>;
}

/** Work on a call activity's parent or child instance, queued on a context (parent-child.ts `queueParentChild`). */
export type ParentChildWork = (session: ParentChildSession) => Promise<void>;

/**
 * The unit of work of one command on one process instance: the instance's rows loaded once,
 * mutated in memory by the lifecycle and the behaviours, and flushed in the same transaction.
 */
export class InstanceContext implements UnitOfWork, StepRunner {
  readonly pi: ProcessInstanceRow;
  readonly elements = new Map<string, ElementInstanceRow>();
  /** Variable scopes and temporary variables (variables.ts). */
  readonly vars: Variables;
  /** Sequence flows and the tokens waiting at joining gateways (joins.ts). */
  readonly joins: Joins;
  readonly jobs = new Map<string, JobRow>();
  readonly userTasks = new Map<string, UserTaskRow>();
  readonly incidents = new Map<string, IncidentRow>();
  readonly timers = new Map<string, GenericRow>();
  readonly subscriptions = new Map<string, GenericRow>();
  /** State of the active multi-instance bodies, by body key. */
  readonly multiInstanceBodies = new Map<string, MultiInstanceBodyRow>();
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

  // ---- per-command state of features (a scratch.ts keeper carries what queued steps need across a split run)
  /** Variables a triggered event carries until the element receiving them activates (events/pending.ts). */
  readonly eventVariables = new Map<string, Record<string, unknown> | null>();
  /** Holders an event trigger already consumed in this command (events/pending.ts). */
  readonly consumedTriggers = new Set<string>();
  /** Compensation boundary events activated by a throw → the subscription whose handler they start (events/compensation.ts). */
  readonly compensationHandlers = new Map<string, CompensationSubscriptionRow>();
  /** Multi-instance bodies whose completion condition was met in this command (all inner instances end within it). */
  readonly completionConditionMet = new Set<string>();
  /** Work on a call activity's parent or child instance, settled in this transaction before the flush (parent-child.ts). */
  readonly parentChildWork: ParentChildWork[] = [];
  /** On the context that owns the transaction, once parent-child work ran: every instance it touched. */
  parentChildSession: ParentChildSession | null = null;

  // ---- straight-through runs across transactions (continuation.ts)
  /** The continuation row the instance was loaded with (its steps are now in `queue` or `loop.halted`). */
  readonly continuation: ContinuationRow | null;
  /** The run loop: step counts, the transaction's budget, the runaway guard (run-loop.ts). */
  readonly loop: RunLoop;

  constructor(
    state: InstanceState,
    /** The instance's process version; a migration (commands/migration.ts) moves it to another one mid-command. */
    public model: ProcessModel,
    readonly keys: KeyAllocator,
    readonly now: Date,
    /** Who caused the command (user, or the worker of a job); commands on a job set it to the job's worker. */
    public actor: string | null,
    readonly hooks: RuntimeHooks,
    /** Element kind → behaviour (elements/behaviors.ts), handed in by the runtime. */
    readonly behaviors: BehaviorTable,
    readonly limits: StepLimits = DEFAULT_STEP_LIMITS,
  ) {
    this.pi = state.pi;
    this.forms = state.forms;
    for (const e of state.elements) this.elements.set(e.key, e);
    this.vars = new Variables(this, state.variables);
    this.joins = new Joins(this, state.takenFlows);
    for (const j of state.jobs) this.jobs.set(j.key, j);
    for (const u of state.userTasks) this.userTasks.set(u.key, u);
    for (const i of state.incidents) this.incidents.set(i.key, i);
    for (const t of state.timers) this.timers.set(t.key, t);
    for (const s of state.subscriptions) this.subscriptions.set(s.key, s);
    for (const m of state.multiInstanceBodies ?? []) this.multiInstanceBodies.set(m.key, m);
    this.loop = new RunLoop(this, limits);
    this.continuation = state.continuations?.[0] ?? null;
    if (this.continuation) this.takeOver(this.continuation);
  }

  /** Queues (or, while halted, holds) the steps a continuation left (run-loop.ts), with the state they need. */
  private takeOver(c: ContinuationRow): void {
    restoreScratch(this, JSON.parse(c.scratch) as Record<string, unknown>);
    const steps: Step[] = [];
    for (const [kind, key, gatewayId] of JSON.parse(c.steps) as Array<[Step['kind'], string, string?]>) {
      // A step of an element that is no longer active would do nothing: it is not loaded, and dropped.
      const el = this.elements.get(key);
      if (!el) continue;
      steps.push(kind === 'join' ? { kind, el, gatewayId: gatewayId! } : { kind, el });
    }
    this.loop.carryOver(c, steps);
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
    return this.joins.waitingTokens(scopeKey);
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
      completion_condition_fulfilled: false,
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
      this.vars.applyInputMappings(el, node);
    }
    if (awaitNextListener(this, el, node, 'start')) return;
    for (const hook of this.hooks.onActivating ?? []) hook(this, el);
    behaviorOf(this.behaviors, node, el).onActivate(this, el, node);
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
    const behavior = behaviorOf(this.behaviors, node, el);
    if (el.listener_index === 0) {
      for (const hook of this.hooks.onCompleting ?? []) hook(this, el);
      behavior.onCompleting?.(this, el, node);
      this.vars.applyOutputMappings(el, node);
    }
    if (awaitNextListener(this, el, node, 'end')) return;
    const body = this.isInnerInstance(el) ? this.elements.get(el.flow_scope_key!)! : null;
    if (body) behaviorOf(this.behaviors, node, body).onChildCompleting?.(this, body, el);
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
    const waitsForTaskListeners = this.cleanUp(el);
    const node = this.node(el.element_id);
    behaviorOf(this.behaviors, node, el).onTerminating?.(this, el, node);
    for (const hook of this.hooks.onTerminate) hook(this, el);
    if (waitsForTaskListeners) return;
    const children = this.activeChildren(el.key);
    if (!children.length) this.finishTermination(el);
    else for (const c of children) this.runTerminationNow(c);
  }

  /** Children terminate depth-first within the parent's step, as Zeebe does. */
  private runTerminationNow(el: ElementInstanceRow): void {
    this.runTermination(el);
  }

  /** The user task of a TERMINATING element is CANCELED after its canceling listeners (task-listeners.ts). */
  userTaskCanceled(el: ElementInstanceRow): void {
    if (el.state === 'TERMINATING') this.finishTermination(el);
  }

  private finishTermination(el: ElementInstanceRow): void {
    this.transition(el, 'TERMINATED');
    this.joins.clear(el.key);
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
    if (scope.state === 'ACTIVATED' && this.waitingTokens(scope.key) > 0) this.joins.recheckInclusive(scope.key);
    const behavior = behaviorOf(this.behaviors, this.node(scope.element_id), scope);
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

  /**
   * Cancels what an element waits on: jobs, user tasks, timers, subscriptions; resolves its incidents.
   * True when its user task waits for canceling listeners (their jobs and incidents come after the clean-up).
   */
  private cleanUp(el: ElementInstanceRow): boolean {
    for (const job of this.jobs.values())
      if (job.element_instance_key === el.key && OPEN_JOB_STATES.has(job.state)) cancelJob(this, job, el);
    const tasks = [...this.userTasks.values()].filter(
      (t) => t.element_instance_key === el.key && OPEN_USER_TASK_STATES.has(t.state),
    );
    for (const timer of this.timers.values())
      if (timer.element_instance_key === el.key && timer.state === 'CREATED') cancelTimer(this, timer, el);
    for (const sub of this.subscriptions.values())
      if (sub.element_instance_key === el.key && sub.state === 'CREATED') deleteMessageSubscription(this, sub, el);
    for (const inc of this.incidents.values())
      if (inc.element_instance_key === el.key && inc.state === 'ACTIVE') this.resolveIncidentRow(inc);
    let waits = false;
    for (const task of tasks) waits = this.hooks.cancelUserTask(this, task, el) || waits;
    return waits;
  }

  /**
   * Marks an incident resolved. When it is the runaway guard's, the halted steps are queued again with
   * a fresh count (true): they carry on where they stopped, whatever resolved it.
   */
  resolveIncidentRow(inc: IncidentRow): boolean {
    resolveIncident(this, inc);
    return this.loop.releaseHalted(inc.key);
  }

  raiseIncident(
    el: ElementInstanceRow,
    errorType: IncidentErrorType,
    message: string,
    jobKey: string | null = null,
  ): IncidentRow {
    return raiseIncident(this, el, errorType, message, jobKey);
  }

  // ---------------------------------------------------------------- sequence flows and joins (joins.ts)

  /** Takes flows out of a completed element: records them and activates their targets (or joins). */
  takeFlows(from: ElementInstanceRow, flows: SequenceFlow[]): void {
    this.joins.takeFlows(from.flow_scope_key!, flows);
  }

  /** Fires a joining gateway once, consuming one token per incoming flow, if its rule is satisfied. */
  tryFireJoin(gateway: FlowNode, scopeKey: string): boolean {
    return this.joins.tryFire(gateway, scopeKey);
  }

  /** Drops the tokens waiting at joins of a scope (terminate end event). */
  clearWaitingTokens(scopeKey: string): void {
    this.joins.clear(scopeKey);
  }

  // ---------------------------------------------------------------- variables (variables.ts)

  /** Job / user-task completion variables awaiting the element's output mappings (Zeebe's temporary variables). */
  get temporaryVariables(): Map<string, Record<string, unknown>> {
    return this.vars.temporary;
  }

  /** Scope chain from the given scope up to the process instance (root last). */
  scopeChain(scopeKey: string): string[] {
    return this.vars.scopeChain(scopeKey);
  }

  /** All variables visible from a scope, inner scopes shadowing outer ones. */
  visibleVariables(scopeKey: string): Record<string, unknown> {
    return this.vars.visible(scopeKey);
  }

  localVariables(scopeKey: string): Record<string, unknown> {
    return this.vars.local(scopeKey);
  }

  setLocal(scopeKey: string, name: string, value: unknown, el?: ElementInstanceRow | null): void {
    this.vars.setLocal(scopeKey, name, value, el);
  }

  /** Zeebe's propagation: each variable goes to the nearest scope (from scopeKey up) defining it, else the root. */
  propagate(scopeKey: string, doc: Record<string, unknown>): void {
    this.vars.propagate(scopeKey, doc);
  }

  setLocalDocument(scopeKey: string, doc: Record<string, unknown>): void {
    this.vars.setLocalDocument(scopeKey, doc);
  }

  /** Where io mappings read (inputs) and write (outputs): see Variables.mappingScopeKey. */
  mappingScopeKey(el: ElementInstanceRow): string {
    return this.vars.mappingScopeKey(el);
  }

  /** An inner instance of a multi-instance body (its flow scope is the body). */
  isInnerInstance(el: Pick<ElementInstanceRow, 'flow_scope_key'>): boolean {
    return !!el.flow_scope_key && this.elements.get(el.flow_scope_key)?.element_type === 'MULTI_INSTANCE_BODY';
  }

  // ---------------------------------------------------------------- expressions (expressions.ts)

  /** Evaluates a model value in a scope; a FEEL failure becomes an incident of the given type. */
  evaluate(e: Expr, scopeKey: string, errorType: IncidentErrorType = 'EXTRACT_VALUE_ERROR'): FeelResult {
    return evaluate(e, () => this.vars.visible(scopeKey), this.now, errorType);
  }

  evaluateAs(
    e: Expr,
    scopeKey: string,
    expected: ExpectedType,
    errorType: IncidentErrorType = 'EXTRACT_VALUE_ERROR',
  ): unknown {
    return evaluateAs(e, () => this.vars.visible(scopeKey), this.now, expected, errorType);
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
    return createJob(this, el, { type, retries, headers, kind, listenerEventType });
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

  // ---------------------------------------------------------------- run loop (run-loop.ts)

  /** Are there queued steps this transaction may still run? */
  get runnable(): boolean {
    return this.loop.runnable;
  }

  /** Runs queued steps until every token waits (at most `maxSteps`, within the transaction's budget). */
  run(maxSteps = Infinity): Promise<void> {
    return this.loop.run(maxSteps);
  }

  /** Runs the steps carried over from an earlier transaction, before the command's own changes. */
  runCarried(): Promise<void> {
    return this.loop.runCarried();
  }

  /** The continuation's actor takes over the context (a follow-up transaction of a run: continuation.ts). */
  actAsContinuation(): void {
    this.loop.actAsContinuation();
  }

  runStep(step: Step): void {
    switch (step.kind) {
      case 'activate':
        return this.runActivation(step.el);
      case 'complete':
        return this.runCompletion(step.el);
      case 'terminate':
        return this.runTermination(step.el);
      case 'join':
        this.joins.tryFire(this.node(step.gatewayId), step.el.key);
    }
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

function rowId(table: TableName, row: Record<string, unknown>): string {
  if (table === 'taken_flow')
    return takenKey(row.flow_scope_key as string, row.gateway_id as string, row.flow_id as string);
  if (table === 'message_correlation') return `${row.message_key}|${row.process_instance_key}`;
  if (table === 'continuation') return row.process_instance_key as string;
  return row.key as string;
}
