import type { ElementInstanceRow, JobRow } from '../../store/rows.js';
import type { UnitOfWork } from '../unit-of-work.js';

/** Creation and cancellation of an instance's jobs (the job commands record theirs in commands/jobs.ts). */

export function createJob(
  ctx: UnitOfWork,
  el: ElementInstanceRow,
  job: { type: string; retries: number; headers: Record<string, string>; kind: string; listenerEventType: string },
): JobRow {
  const { pi, now } = ctx;
  const row: JobRow = {
    key: ctx.nextKey(),
    type: job.type,
    state: 'ACTIVATABLE',
    kind: job.kind,
    listener_event_type: job.listenerEventType,
    retries: job.retries,
    worker: null,
    deadline: null,
    retry_backoff_until: null,
    custom_headers: job.headers,
    error_message: null,
    error_code: null,
    process_instance_key: pi.key,
    element_instance_key: el.key,
    element_id: el.element_id,
    process_definition_key: pi.process_definition_key,
    bpmn_process_id: pi.bpmn_process_id,
    version: pi.version,
    tenant_id: pi.tenant_id,
    created_at: now,
    updated_at: now,
    end_date: null,
  };
  ctx.jobs.set(row.key, row);
  ctx.save('job', row);
  ctx.record(
    'JOB',
    'CREATED',
    row.key,
    {
      type: job.type,
      retries: job.retries,
      customHeaders: job.headers,
      elementInstanceKey: el.key,
      jobKind: job.kind,
      jobListenerEventType: job.listenerEventType,
    },
    el,
  );
  ctx.jobTypesCreated.add(job.type);
  return row;
}

/** Job states a terminated element still has to cancel. */
export const OPEN_JOB_STATES = new Set(['ACTIVATABLE', 'ACTIVATED', 'FAILED', 'ERROR_THROWN']);

export function cancelJob(ctx: UnitOfWork, job: JobRow, el: ElementInstanceRow): void {
  job.state = 'CANCELED';
  job.updated_at = ctx.now;
  job.end_date = ctx.now;
  ctx.save('job', job);
  ctx.record('JOB', 'CANCELED', job.key, { type: job.type, retries: job.retries, worker: job.worker ?? '' }, el);
}
