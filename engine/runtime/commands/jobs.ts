import type { Runtime } from '../runtime.js';
import type { InstanceContext } from '../context.js';
import { activateJobs as activateJobRows, jobByKey } from '../../store/jobs.js';
import { pendingTaskVariables } from '../../store/pending-task-variables.js';
import type { JobRow } from '../../store/rows.js';
import { invalidArgument, invalidState, notFound } from '../errors.js';
import { completeListenerJob, noRetriesIncidentType, throwErrorRejection } from '../execution-listeners.js';
import { completeTaskListenerJob, listenerCompletionRejection, userTaskResultOf } from '../task-listeners.js';
import { adHocJobResult, adHocJobResultRejection, completeAdHocSubProcessJob } from './ad-hoc-activities.js';

export interface ActivateJobsRequest {
  type: string;
  worker?: string;
  timeout: number;
  maxJobsToActivate: number;
  fetchVariable?: string[];
  requestTimeout?: number;
  tenantIds?: string[];
}

export interface ActivatedJob {
  type: string;
  processDefinitionId: string;
  processDefinitionVersion: number;
  elementId: string;
  customHeaders: Record<string, unknown>;
  worker: string;
  retries: number;
  deadline: number;
  variables: Record<string, unknown>;
  tenantId: string;
  jobKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  elementInstanceKey: string;
  kind: string;
  listenerEventType: string;
  /** Task listener jobs: the task's data, read from its reserved headers (as Camunda's gateway does). */
  userTask?: Record<string, unknown>;
}

/** The `userTask` of an activated task listener job, from the io.camunda.zeebe:* headers of the job. */
function userTaskProperties(headers: Record<string, string>): Record<string, unknown> {
  const h = (name: string): string | undefined => headers[`io.camunda.zeebe:${name}`] || undefined;
  const list = (name: string): string[] => {
    const v = h(name);
    if (!v) return [];
    try {
      return JSON.parse(v) as string[];
    } catch {
      return [];
    }
  };
  const priority = h('priority');
  return {
    action: h('action'),
    assignee: h('assignee'),
    candidateGroups: list('candidateGroups'),
    candidateUsers: list('candidateUsers'),
    changedAttributes: list('changedAttributes'),
    dueDate: h('dueDate'),
    followUpDate: h('followUpDate'),
    formKey: h('formKey'),
    priority: priority ? Number(priority) : undefined,
    userTaskKey: h('userTaskKey'),
  };
}

/** Camunda's gateway answers a long poll after 10 s by default when requestTimeout is 0. */
const DEFAULT_LONG_POLL_MS = 10_000;

export async function activateJobs(
  rt: Runtime,
  req: ActivateJobsRequest,
  signal?: AbortSignal,
): Promise<ActivatedJob[]> {
  if (req.maxJobsToActivate < 1)
    throw invalidArgument(
      `Expected to activate at least one job, but maxJobsToActivate was '${req.maxJobsToActivate}'`,
    );
  if (req.timeout < 1) throw invalidArgument(`Expected job timeout to be positive, but was '${req.timeout}'`);
  const worker = req.worker ?? '';
  const requestTimeout = req.requestTimeout ?? 0;
  const wait = requestTimeout < 0 ? 0 : requestTimeout === 0 ? DEFAULT_LONG_POLL_MS : requestTimeout;
  const attempt = async (): Promise<ActivatedJob[]> => {
    if (rt.isStopped) return [];
    const rows = await activateJobRows(rt.store.pool, {
      type: req.type,
      worker,
      max: req.maxJobsToActivate,
      timeoutMs: req.timeout,
      tenantIds: req.tenantIds?.length ? req.tenantIds : null,
      now: rt.clock.now(),
      names: req.fetchVariable?.length ? req.fetchVariable : null,
    });
    const updating = rows.filter((j) => j.kind === 'TASK_LISTENER' && j.listener_event_type === 'UPDATING');
    const pending = await pendingTaskVariables(
      rt.store.pool,
      updating.map((j) => j.element_instance_key),
    );
    const variablesOf = (j: (typeof rows)[number]) => {
      const extra = pending.get(j.element_instance_key);
      if (!extra) return j.variables;
      const names = req.fetchVariable?.length ? new Set(req.fetchVariable) : null;
      const shown = Object.entries(extra).filter(([name]) => !names || names.has(name));
      return { ...j.variables, ...Object.fromEntries(shown) };
    };
    return rows.map((j) => ({
      type: j.type,
      processDefinitionId: j.bpmn_process_id,
      processDefinitionVersion: j.version,
      elementId: j.element_id,
      customHeaders: j.custom_headers ?? {},
      worker,
      retries: j.retries,
      deadline: j.deadline!.getTime(),
      variables: variablesOf(j),
      tenantId: j.tenant_id,
      jobKey: j.key,
      processInstanceKey: j.process_instance_key,
      processDefinitionKey: j.process_definition_key,
      elementInstanceKey: j.element_instance_key,
      kind: j.kind,
      listenerEventType: j.listener_event_type,
      ...(j.kind === 'TASK_LISTENER' && Object.keys(j.custom_headers ?? {}).length
        ? { userTask: userTaskProperties(j.custom_headers) }
        : {}),
    }));
  };
  return rt.jobNotifier.poll(req.type, wait, attempt, signal);
}

/** Loads the job, then runs `fn` on it under its process instance's lock, rejecting like Zeebe. */
const OPEN = ['ACTIVATABLE', 'ACTIVATED'];
const GONE = ['COMPLETED', 'CANCELED'];

async function onJob(
  rt: Runtime,
  jobKey: string,
  command: string,
  actorOf: (job: JobRow) => string | null,
  fn: (ctx: InstanceContext, job: JobRow) => void,
  allowed: string[] = OPEN,
): Promise<void> {
  const missingDetail = `Command '${command}' rejected with code 'NOT_FOUND': Expected to ${command.toLowerCase().replace('_', ' ')} job with key '${jobKey}', but no such job was found`;
  const missing = () => notFound(missingDetail);
  if (!/^\d{1,19}$/.test(jobKey)) throw missing();
  await rt.withInstanceBatched(
    { table: 'job', key: jobKey },
    null,
    async (ctx, client) => {
      const job = ctx.jobs.get(jobKey);
      if (!job || !allowed.includes(job.state)) {
        const found = job ?? (await jobByKey(client, jobKey));
        // Zeebe deletes a job from its state when it completes or is cancelled: later commands on it
        // are NOT_FOUND (404), as Camunda answers them; our row stays for the query side.
        if (!found || GONE.includes(found.state)) throw missing();
        throw invalidState(
          `Command '${command}' rejected with code 'INVALID_STATE': Expected to ${command.toLowerCase().replace('_', ' ')} job with key '${jobKey}', but it is in state '${stateName(found.state)}'`,
        );
      }
      ctx.actor = actorOf(job);
      fn(ctx, job);
    },
    missingDetail,
  );
}

function stateName(s: string): string {
  return s === 'ACTIVATABLE' ? 'ACTIVATABLE' : s;
}

function jobValue(job: JobRow, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: job.type,
    worker: job.worker ?? '',
    retries: job.retries,
    elementInstanceKey: job.element_instance_key,
    ...extra,
  };
}

export async function completeJob(
  rt: Runtime,
  jobKey: string,
  variables: Record<string, unknown>,
  actor: string | null,
  result?: unknown,
): Promise<void> {
  await onJob(
    rt,
    jobKey,
    'COMPLETE',
    (j) => j.worker ?? actor,
    (ctx, job) => {
      const el = ctx.element(job.element_instance_key);
      const taskResult = job.kind === 'TASK_LISTENER' ? userTaskResultOf(result) : null;
      if (taskResult) {
        const task = [...ctx.userTasks.values()].find((t) => t.element_instance_key === job.element_instance_key);
        const rejection = listenerCompletionRejection(job, task, variables, taskResult);
        if (rejection) throw invalidArgument(`Command 'COMPLETE' rejected with code 'INVALID_ARGUMENT': ${rejection}`);
      }
      const adHocResult = job.kind === 'AD_HOC_SUB_PROCESS' ? adHocJobResult(result) : null;
      const adHocRejection = adHocResult && adHocJobResultRejection(ctx, job, adHocResult);
      if (adHocRejection) throw adHocRejection;
      job.state = 'COMPLETED';
      job.updated_at = ctx.now;
      job.end_date = ctx.now;
      ctx.jobs.delete(job.key);
      ctx.save('job', job);
      ctx.record('JOB', 'COMPLETED', job.key, jobValue(job, { variables }), el);
      if (job.kind === 'EXECUTION_LISTENER') return completeListenerJob(ctx, job, variables);
      if (taskResult) return completeTaskListenerJob(ctx, job, taskResult);
      if (adHocResult) return completeAdHocSubProcessJob(ctx, job, variables, adHocResult);
      if (!el || el.state !== 'ACTIVATED') return;
      ctx.temporaryVariables.set(el.key, variables);
      ctx.complete(el);
    },
  );
}

export async function failJob(
  rt: Runtime,
  jobKey: string,
  req: { retries: number; errorMessage?: string; retryBackOff?: number; variables?: Record<string, unknown> },
  actor: string | null,
): Promise<void> {
  await onJob(
    rt,
    jobKey,
    'FAIL',
    (j) => j.worker ?? actor,
    (ctx, job) => {
      const el = ctx.element(job.element_instance_key);
      if (req.variables && el) ctx.setLocalDocument(el.key, req.variables);
      job.retries = req.retries;
      job.error_message = req.errorMessage ?? '';
      job.updated_at = ctx.now;
      job.deadline = null;
      const backoff = req.retryBackOff ?? 0;
      if (job.retries > 0 && backoff <= 0) job.state = 'ACTIVATABLE';
      else {
        job.state = 'FAILED';
        job.retry_backoff_until = job.retries > 0 ? new Date(ctx.now.getTime() + backoff) : null;
      }
      ctx.save('job', job);
      ctx.record(
        'JOB',
        'FAILED',
        job.key,
        jobValue(job, { errorMessage: job.error_message, retryBackoff: backoff }),
        el,
      );
      if (job.state === 'ACTIVATABLE') ctx.jobTypesCreated.add(job.type);
      if (job.retries <= 0 && el)
        ctx.raiseIncident(el, noRetriesIncidentType(job), job.error_message || 'No more retries left.', job.key);
    },
  );
}

export async function throwJobError(
  rt: Runtime,
  jobKey: string,
  req: { errorCode: string; errorMessage?: string | null; variables?: Record<string, unknown> | null },
  actor: string | null,
): Promise<void> {
  await onJob(
    rt,
    jobKey,
    'THROW_ERROR',
    (j) => j.worker ?? actor,
    (ctx, job) => {
      const rejection = throwErrorRejection(job);
      if (rejection) throw invalidState(`Command 'THROW_ERROR' rejected with code 'INVALID_STATE': ${rejection}`);
      const el = ctx.element(job.element_instance_key);
      job.state = 'ERROR_THROWN';
      job.error_code = req.errorCode;
      job.error_message = req.errorMessage ?? '';
      job.updated_at = ctx.now;
      job.deadline = null;
      ctx.save('job', job);
      ctx.record(
        'JOB',
        'ERROR_THROWN',
        job.key,
        jobValue(job, { errorCode: req.errorCode, errorMessage: job.error_message, variables: req.variables ?? {} }),
        el,
      );
      if (el) ctx.throwError(el, req.errorCode, job.error_message, req.variables ?? null, job.key);
    },
  );
}

export async function updateJob(
  rt: Runtime,
  jobKey: string,
  changeset: { retries?: number | null; timeout?: number | null },
  actor: string | null,
): Promise<void> {
  if (changeset.retries !== undefined && changeset.retries !== null && changeset.retries < 1)
    throw invalidArgument(
      `Command 'UPDATE' rejected with code 'INVALID_ARGUMENT': Expected job retries to be positive, but it was '${changeset.retries}'`,
    );
  await onJob(
    rt,
    jobKey,
    'UPDATE',
    () => actor,
    (ctx, job) => {
      const el = ctx.element(job.element_instance_key);
      if (changeset.retries !== undefined && changeset.retries !== null) {
        job.retries = changeset.retries;
        ctx.record('JOB', 'RETRIES_UPDATED', job.key, jobValue(job), el);
      }
      if (changeset.timeout !== undefined && changeset.timeout !== null) {
        if (job.state !== 'ACTIVATED')
          throw invalidState(
            `Command 'UPDATE_TIMEOUT' rejected with code 'INVALID_STATE': Expected to update the timeout of job with key '${jobKey}', but it is not active`,
          );
        job.deadline = new Date(ctx.now.getTime() + changeset.timeout);
        ctx.record('JOB', 'TIMEOUT_UPDATED', job.key, jobValue(job, { deadline: job.deadline.getTime() }), el);
      }
      job.updated_at = ctx.now;
      ctx.save('job', job);
    },
    ['ACTIVATABLE', 'ACTIVATED', 'FAILED', 'ERROR_THROWN'],
  );
}
