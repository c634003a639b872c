import type { ElementInstanceRow, JobRow, UserTaskRow, UserTaskState } from '../store/rows.js';
import type { FlowNode, TaskListener } from '../model/types.js';
import type { InstanceContext } from './context.js';
import { IncidentError } from './incident-error.js';
import { eventTypeOf, type TaskListenerEventType } from '../model/task-listener-rules.js';
import { userTaskRecordValue } from './rows/user-task-changes.js';

/**
 * Camunda 8.8 user task listeners (zeebe:taskListeners on a zeebe:userTask). A lifecycle transition —
 * creating, assigning, updating, completing, canceling — puts the task in the matching -ING state and
 * waits for its listeners, each a job of kind TASK_LISTENER, one at a time in model order. The
 * transition in flight is the row's `pending` (Zeebe's intermediate state): the command's values plus
 * the listeners' corrections, applied only when the last listener completes. A listener may deny an
 * assigning, updating or completing transition: the task goes back to CREATED as it was.
 */

const STATE: Record<TaskListenerEventType, UserTaskState> = {
  creating: 'CREATING',
  assigning: 'ASSIGNING',
  updating: 'UPDATING',
  completing: 'COMPLETING',
  canceling: 'CANCELING',
};
const FINAL_INTENT: Record<TaskListenerEventType, string> = {
  creating: 'CREATED',
  assigning: 'ASSIGNED',
  updating: 'UPDATED',
  completing: 'COMPLETED',
  canceling: 'CANCELED',
};
const DENIED_INTENT: Partial<Record<TaskListenerEventType, string>> = {
  assigning: 'ASSIGNMENT_DENIED',
  updating: 'UPDATE_DENIED',
  completing: 'COMPLETION_DENIED',
};

/** The attributes a listener can correct, by their record names (Zeebe's UserTaskRecord). */
export interface TaskValues {
  assignee: string | null;
  candidateGroupsList: string[];
  candidateUsersList: string[];
  dueDate: string | null;
  followUpDate: string | null;
  priority: number;
}
const ATTRIBUTES = [
  'assignee',
  'candidateGroupsList',
  'candidateUsersList',
  'dueDate',
  'followUpDate',
  'priority',
] as const;

export interface PendingTransition {
  eventType: TaskListenerEventType;
  /** Listeners of this event type that have completed. */
  listenerIndex: number;
  action: string;
  /** What the command changed (before corrections). */
  changed: string[];
  /** The task as it will be once the transition is finalized. */
  values: TaskValues;
  /** Completion variables, or a variable update's (updating with `variableScope`), applied when finalized. */
  variables?: Record<string, unknown>;
  /** updating triggered by setting variables on the task's element: local or propagating semantics. */
  variableScope?: { local: boolean };
  /** creating: the assignee from the model, assigned (assigning event) once the task is CREATED. */
  initialAssignee?: string | null;
}

export function valuesOf(task: UserTaskRow): TaskValues {
  return {
    assignee: task.assignee,
    candidateGroupsList: [...task.candidate_groups],
    candidateUsersList: [...task.candidate_users],
    dueDate: task.due_date ? new Date(task.due_date).toISOString() : null,
    followUpDate: task.follow_up_date ? new Date(task.follow_up_date).toISOString() : null,
    priority: task.priority,
  };
}

function applyValues(task: UserTaskRow, v: TaskValues): void {
  task.assignee = v.assignee || null;
  task.candidate_groups = v.candidateGroupsList;
  task.candidate_users = v.candidateUsersList;
  task.due_date = v.dueDate ? new Date(v.dueDate) : null;
  task.follow_up_date = v.followUpDate ? new Date(v.followUpDate) : null;
  task.priority = v.priority;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The command's changed attributes plus those the corrections made differ from the persisted task. */
function changedAttributes(task: UserTaskRow, p: PendingTransition): string[] {
  const persisted = valuesOf(task);
  const changed = new Set(p.changed);
  for (const a of ATTRIBUTES) if (!same(persisted[a], p.values[a])) changed.add(a);
  return [...changed].sort();
}

export function listenersOf(node: FlowNode, eventType: TaskListenerEventType): TaskListener[] {
  return (node.taskListeners ?? []).filter((l) => eventTypeOf(l.eventType) === eventType);
}

export function pendingOf(task: UserTaskRow): PendingTransition | null {
  return (task.pending as PendingTransition | null | undefined) ?? null;
}

/** The record value of the task in a transition: the intermediate values, the action, what changed. */
function transitionValue(task: UserTaskRow, p: PendingTransition, extra: Record<string, unknown> = {}) {
  const v = p.values;
  return userTaskRecordValue(task, {
    assignee: v.assignee ?? '',
    candidateGroups: v.candidateGroupsList,
    candidateUsers: v.candidateUsersList,
    dueDate: v.dueDate ?? '',
    followUpDate: v.followUpDate ?? '',
    priority: v.priority,
    action: p.action,
    changedAttributes: p.eventType === 'creating' ? [] : changedAttributes(task, p),
    ...(p.variables ? { variables: p.variables } : {}),
    ...extra,
  });
}

/** Starts a lifecycle transition: the -ING state and record, then its first listener (or its end). */
export function beginTransition(
  ctx: InstanceContext,
  task: UserTaskRow,
  el: ElementInstanceRow,
  p: Omit<PendingTransition, 'listenerIndex'>,
): void {
  const pending: PendingTransition = { ...p, listenerIndex: 0 };
  task.state = STATE[p.eventType];
  task.pending = pending;
  ctx.save('user_task', task);
  ctx.record('USER_TASK', STATE[p.eventType], task.key, transitionValue(task, pending), el);
  continueTransition(ctx, task, el);
}

/**
 * The next listener's job, or the transition's end when none is left. A failed type/retries expression
 * raises an incident; resolving it runs every listener of the transition again (documented).
 */
export function continueTransition(ctx: InstanceContext, task: UserTaskRow, el: ElementInstanceRow): void {
  const p = pendingOf(task);
  if (!p) return;
  const listeners = listenersOf(ctx.node(el.element_id), p.eventType);
  if (p.listenerIndex >= listeners.length) return finalize(ctx, task, el, p);
  const listener = listeners[p.listenerIndex];
  try {
    ctx.createJobOf(
      el,
      listener,
      listenerHeaders(ctx.node(el.element_id), task, p),
      'TASK_LISTENER',
      STATE[p.eventType],
    );
  } catch (e) {
    if (!(e instanceof IncidentError)) throw e;
    p.listenerIndex = 0;
    ctx.save('user_task', task);
    ctx.raiseIncident(el, e.errorType, e.message);
  }
}

/**
 * The job's headers: the user task's own headers and the task's data under Zeebe's reserved names,
 * from which the REST API builds the activated job's `userTask`; empty values are left out.
 */
function listenerHeaders(node: FlowNode, task: UserTaskRow, p: PendingTransition): Record<string, string> {
  const v = p.values;
  const h: Record<string, string> = { ...node.taskHeaders };
  const put = (name: string, value: string | null | undefined) => {
    if (value) h[`io.camunda.zeebe:${name}`] = value;
  };
  put('action', p.action);
  put('assignee', v.assignee);
  put('candidateGroups', v.candidateGroupsList.length ? JSON.stringify(v.candidateGroupsList) : null);
  put('candidateUsers', v.candidateUsersList.length ? JSON.stringify(v.candidateUsersList) : null);
  const changed = p.eventType === 'creating' ? [] : changedAttributes(task, p);
  put('changedAttributes', changed.length ? JSON.stringify(changed) : null);
  put('dueDate', v.dueDate);
  put('followUpDate', v.followUpDate);
  put('formKey', task.form_key);
  put('priority', v.priority > 0 ? String(v.priority) : null);
  put('userTaskKey', task.key);
  return h;
}

/** The last listener completed (or there was none): the transition takes effect. */
function finalize(ctx: InstanceContext, task: UserTaskRow, el: ElementInstanceRow, p: PendingTransition): void {
  const value = transitionValue(task, p);
  applyValues(task, p.values);
  task.pending = null;
  task.state = p.eventType === 'completing' ? 'COMPLETED' : p.eventType === 'canceling' ? 'CANCELED' : 'CREATED';
  if (task.state !== 'CREATED') task.completion_date = ctx.now;
  ctx.save('user_task', task);
  ctx.record('USER_TASK', FINAL_INTENT[p.eventType], task.key, value, el);
  if (p.variableScope) applyVariableUpdate(ctx, el, p.variables ?? {}, p.variableScope.local, 'UPDATED');
  if (p.eventType === 'creating' && p.initialAssignee) {
    // The model's assignee is assigned after creation, through the assigning event (Zeebe 8.8).
    beginTransition(ctx, task, el, {
      eventType: 'assigning',
      action: '',
      changed: ['assignee'],
      values: { ...valuesOf(task), assignee: p.initialAssignee },
    });
  } else if (p.eventType === 'completing' && el.state === 'ACTIVATED') {
    ctx.temporaryVariables.set(el.key, p.variables ?? {});
    ctx.complete(el);
  } else if (p.eventType === 'canceling') {
    ctx.userTaskCanceled(el);
  }
}

// ------------------------------------------------------------------ listener job completion

export interface UserTaskJobResult {
  denied: boolean;
  deniedReason: string;
  /** Corrected attributes by record name, only those given (null or absent keeps the value). */
  corrections: Partial<TaskValues>;
}

/** The REST body's `result` of type userTask → corrections by record name (unknown keys ignored, as documented). */
export function userTaskResultOf(result: unknown): UserTaskJobResult {
  const r = (result && typeof result === 'object' ? result : {}) as Record<string, unknown>;
  const c = (r.corrections && typeof r.corrections === 'object' ? r.corrections : {}) as Record<string, unknown>;
  const corrections: Partial<TaskValues> = {};
  if (typeof c.assignee === 'string') corrections.assignee = c.assignee || null;
  if (Array.isArray(c.candidateGroups)) corrections.candidateGroupsList = c.candidateGroups.map(String);
  if (Array.isArray(c.candidateUsers)) corrections.candidateUsersList = c.candidateUsers.map(String);
  if (typeof c.dueDate === 'string') corrections.dueDate = c.dueDate ? new Date(c.dueDate).toISOString() : null;
  if (typeof c.followUpDate === 'string')
    corrections.followUpDate = c.followUpDate ? new Date(c.followUpDate).toISOString() : null;
  if (typeof c.priority === 'number') corrections.priority = c.priority;
  return {
    denied: r.denied === true,
    deniedReason: typeof r.deniedReason === 'string' ? r.deniedReason : '',
    corrections,
  };
}

/** Why Zeebe refuses this completion of a task listener job (INVALID_ARGUMENT), or null. */
export function listenerCompletionRejection(
  job: JobRow,
  task: UserTaskRow | undefined,
  variables: Record<string, unknown>,
  result: UserTaskJobResult,
): string | null {
  const ids = `(job key '${job.key}', type '${job.type}', processInstanceKey '${job.process_instance_key}')`;
  if (Object.keys(variables).length)
    return `Task Listener job completion with variables payload provided is not yet supported ${ids}. Support will be enabled with the resolution of issue #23702.`;
  const corrected = Object.keys(result.corrections);
  if (result.denied && !['ASSIGNING', 'UPDATING', 'COMPLETING'].includes(job.listener_event_type))
    return `Denying result is not supported for '${job.listener_event_type}' task listener jobs ${ids}. Only the following listener event types support denying: [ASSIGNING, COMPLETING, UPDATING].`;
  if (result.denied && corrected.length)
    return `Expected to complete task listener job with corrections, but the job result is denied ${ids}. The corrections would be reverted by the denial. Either complete the job with corrections without setting denied, or complete the job with a denied result but no corrections.`;
  const p = task ? pendingOf(task) : null;
  if (job.listener_event_type === 'CREATING' && corrected.includes('assignee') && p?.initialAssignee)
    return `Expected to complete task listener job, but correcting the assignee on 'CREATING' event is not supported when the user task has an assignee defined in the model ${ids}. Use the 'CREATING' event to set an assignee only if it was not defined. Use the 'ASSIGNING' event to correct an assignee that is already defined.`;
  const priority = result.corrections.priority;
  if (priority !== undefined && (!Number.isInteger(priority) || priority < 0 || priority > 100))
    return `Expected to correct the priority of the user task to an integer between 0 and 100, but was '${priority}' ${ids}.`;
  return null;
}

/** A listener job completed: apply its corrections and go on, or roll the transition back on a denial. */
export function completeTaskListenerJob(ctx: InstanceContext, job: JobRow, result: UserTaskJobResult): void {
  const el = ctx.element(job.element_instance_key);
  const task = [...ctx.userTasks.values()].find((t) => t.element_instance_key === job.element_instance_key);
  const p = task ? pendingOf(task) : null;
  if (!el || !task || !p || STATE[p.eventType] !== job.listener_event_type) return;
  if (result.denied) {
    // Denied: nothing of the transition is applied, corrections of earlier listeners included.
    const value = transitionValue(task, p, { denied: true, deniedReason: result.deniedReason });
    task.pending = null;
    task.state = 'CREATED';
    ctx.save('user_task', task);
    ctx.record('USER_TASK', DENIED_INTENT[p.eventType]!, task.key, value, el);
    if (p.variableScope) recordVariableDocument(ctx, el, p.variables ?? {}, p.variableScope.local, 'UPDATE_DENIED');
    return;
  }
  const corrected = Object.keys(result.corrections);
  if (corrected.length) {
    p.values = { ...p.values, ...result.corrections };
    ctx.record(
      'USER_TASK',
      'CORRECTED',
      task.key,
      transitionValue(task, p, { changedAttributes: corrected.sort() }),
      el,
    );
  }
  p.listenerIndex += 1;
  ctx.save('user_task', task);
  continueTransition(ctx, task, el);
}

/** Resolving an expression incident of a transition runs all its listeners again. */
export function retryTransition(ctx: InstanceContext, el: ElementInstanceRow): boolean {
  const task = [...ctx.userTasks.values()].find((t) => t.element_instance_key === el.key);
  const p = task ? pendingOf(task) : null;
  if (!task || !p) return false;
  const open = [...ctx.jobs.values()].some(
    (j) =>
      j.element_instance_key === el.key &&
      j.kind === 'TASK_LISTENER' &&
      ['ACTIVATABLE', 'ACTIVATED', 'FAILED'].includes(j.state),
  );
  if (!open) continueTransition(ctx, task, el);
  return true;
}

/**
 * The task's element is terminated: the canceling transition, whatever transition was in flight (its
 * listener jobs are cancelled with the element's jobs). True while it waits for canceling listeners:
 * the element then stays TERMINATING until the last one completes (`ctx.userTaskCanceled`).
 */
export function cancelUserTask(ctx: InstanceContext, task: UserTaskRow, el: ElementInstanceRow): boolean {
  const pending: Omit<PendingTransition, 'listenerIndex'> = {
    eventType: 'canceling',
    action: '',
    changed: [],
    values: valuesOf(task),
  };
  if (listenersOf(ctx.node(el.element_id), 'canceling').length) {
    beginTransition(ctx, task, el, pending);
    return true;
  }
  const value = transitionValue(task, { ...pending, listenerIndex: 0 });
  task.state = 'CANCELED';
  task.pending = null;
  task.completion_date = ctx.now;
  ctx.save('user_task', task);
  ctx.record('USER_TASK', 'CANCELING', task.key, value, el);
  ctx.record('USER_TASK', 'CANCELED', task.key, value, el);
  return false;
}

// ------------------------------------------------------------------ variables set on the task's element

function recordVariableDocument(
  ctx: InstanceContext,
  el: ElementInstanceRow,
  variables: Record<string, unknown>,
  local: boolean,
  intent: string,
): void {
  const value = { scopeKey: el.key, updateSemantics: local ? 'LOCAL' : 'PROPAGATE', variables };
  ctx.record('VARIABLE_DOCUMENT', intent, el.key, value, el);
}

function applyVariableUpdate(
  ctx: InstanceContext,
  el: ElementInstanceRow,
  variables: Record<string, unknown>,
  local: boolean,
  intent: string,
): void {
  if (local) ctx.setLocalDocument(el.key, variables);
  else ctx.propagate(el.key, variables);
  recordVariableDocument(ctx, el, variables, local, intent);
}

/**
 * Variables set on a Camunda user task's element are an update of the task (Camunda 8.8): the updating
 * transition with `variables` changed; they are merged when it ends, dropped when a listener denies it.
 * False when the element has no such task, so the variables are set at once.
 */
export function updateTaskVariables(
  ctx: InstanceContext,
  el: ElementInstanceRow,
  variables: Record<string, unknown>,
  local: boolean,
): boolean {
  const task = [...ctx.userTasks.values()].find((t) => t.element_instance_key === el.key);
  if (!task) return false;
  if (task.state !== 'CREATED') return rejectVariableUpdate(task);
  recordVariableDocument(ctx, el, variables, local, 'UPDATING');
  beginTransition(ctx, task, el, {
    eventType: 'updating',
    action: '',
    changed: ['variables'],
    values: valuesOf(task),
    variables,
    variableScope: { local },
  });
  return true;
}

export class TaskTransitionBusy extends Error {}

function rejectVariableUpdate(task: UserTaskRow): never {
  throw new TaskTransitionBusy(
    `Expected to trigger update transition for user task with key '${task.key}', but it is in state '${task.state}'`,
  );
}
