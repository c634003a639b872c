import type { ElementInstanceRow, JobRow } from '../store/rows.js';
import type { ExecutionListener, Expr, FlowNode } from '../model/types.js';
import type { UnitOfWork } from './unit-of-work.js';
import { IncidentError, type IncidentErrorType } from './incident-error.js';

/**
 * Camunda 8.6 execution listeners (zeebe:executionListeners): blocking jobs of kind EXECUTION_LISTENER.
 * Start listeners run while the element is ACTIVATING, after its input mappings and before its
 * behaviour (subscriptions, job, expressions); end listeners while it is COMPLETING, after its output
 * mappings and before COMPLETED. Listeners of one event type run one at a time, in model order:
 * `listener_index` on the element instance row counts the completed ones, so each job completion —
 * a later command — resumes the lifecycle at the next listener.
 */

export type ListenerPhase = 'start' | 'end';

/** What listeners need of the InstanceContext (a leaf type, so the two do not import each other). */
export interface ListenerContext extends Pick<UnitOfWork, 'queue' | 'save'> {
  createJobOf(
    el: ElementInstanceRow,
    td: { type: Expr; retries: Expr },
    headers: Record<string, string>,
    kind?: string,
    listenerEventType?: string,
  ): JobRow;
  element(key: string): ElementInstanceRow | undefined;
  recordElement(el: ElementInstanceRow, intent: string): void;
  setLocalDocument(scopeKey: string, doc: Record<string, unknown>): void;
  propagate(scopeKey: string, doc: Record<string, unknown>): void;
  mappingScopeKey(el: ElementInstanceRow): string;
}

export function listenersOf(node: FlowNode, el: ElementInstanceRow, phase: ListenerPhase): ExecutionListener[] {
  // The multi-instance body runs none: each inner instance runs the activity's listeners (Zeebe).
  if (el.element_type === 'MULTI_INSTANCE_BODY') return [];
  return node.executionListeners.filter((l) => l.eventType === phase);
}

/** Creates the job of the phase's next listener, if any: true while the lifecycle waits for it. */
export function awaitNextListener(
  ctx: ListenerContext,
  el: ElementInstanceRow,
  node: FlowNode,
  phase: ListenerPhase,
): boolean {
  const listeners = listenersOf(node, el, phase);
  if (el.listener_index >= listeners.length) return false;
  const listener = listeners[el.listener_index];
  try {
    // The worker sees the element's headers with the listener's own on top (Camunda docs, "Task headers").
    ctx.createJobOf(
      el,
      listener,
      { ...node.taskHeaders, ...listener.headers },
      'EXECUTION_LISTENER',
      phase === 'start' ? 'START' : 'END',
    );
  } catch (e) {
    // Documented: after a failed type/retries expression, resolving re-runs every listener of this event
    // type, including those that had completed.
    if (e instanceof IncidentError) {
      el.listener_index = 0;
      ctx.save('element_instance', el);
    }
    throw e;
  }
  return true;
}

/**
 * A listener job completed. Start listener variables become local variables of the element; end
 * listener variables propagate from the element's parent scope, like output mappings (Camunda docs,
 * "Variables in an execution listener"). Then the lifecycle goes on at the next listener.
 */
export function completeListenerJob(ctx: ListenerContext, job: JobRow, variables: Record<string, unknown>): void {
  const el = ctx.element(job.element_instance_key);
  const start = job.listener_event_type === 'START';
  if (!el || el.state !== (start ? 'ACTIVATING' : 'COMPLETING')) return;
  ctx.recordElement(el, 'COMPLETE_EXECUTION_LISTENER');
  if (start) ctx.setLocalDocument(el.key, variables);
  else ctx.propagate(ctx.mappingScopeKey(el), variables);
  el.listener_index += 1;
  ctx.save('element_instance', el);
  ctx.queue.push({ kind: start ? 'activate' : 'complete', el });
}

/** The incident a job out of retries raises: listener jobs have their own type (Zeebe). */
export function noRetriesIncidentType(job: JobRow): IncidentErrorType {
  if (job.kind === 'TASK_LISTENER') return 'TASK_LISTENER_NO_RETRIES';
  if (job.kind === 'AD_HOC_SUB_PROCESS') return 'AD_HOC_SUB_PROCESS_NO_RETRIES';
  return job.kind === 'EXECUTION_LISTENER' ? 'EXECUTION_LISTENER_NO_RETRIES' : 'JOB_NO_RETRIES';
}

/** Zeebe rejects a BPMN error thrown from a listener job, execution or task (INVALID_STATE); null when the job may throw. */
export function throwErrorRejection(job: JobRow): string | null {
  if (job.kind !== 'EXECUTION_LISTENER' && job.kind !== 'TASK_LISTENER') return null;
  return `Cannot throw BPMN error from ${job.kind} job with key '${job.key}', type '${job.type}' and processInstanceKey '${job.process_instance_key}'`;
}
