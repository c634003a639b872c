import type { Runtime } from '../runtime.js';
import { retryTransition } from '../task-listeners.js';
import { notFound } from '../errors.js';
import { noRetriesIncidentType } from '../execution-listeners.js';

/**
 * Resolves an incident and retries the step that raised it: a job incident makes the job activatable
 * again when it has retries (else, as in Zeebe, the incident is raised anew); an element incident
 * re-runs the element's activation or completion; the runaway guard's incident lets the steps it
 * held run again, with a fresh count (context.ts haltRunaway).
 */
export async function resolveIncident(rt: Runtime, incidentKey: string, actor: string | null): Promise<void> {
  const detail = `Command 'RESOLVE' rejected with code 'NOT_FOUND': Expected to resolve incident with key '${incidentKey}', but no such incident was found`;
  if (!/^\d{1,19}$/.test(incidentKey)) throw notFound(detail);
  await rt.withInstance(
    { table: 'incident', key: incidentKey },
    actor,
    (ctx) => {
      const inc = ctx.incidents.get(incidentKey);
      if (!inc || inc.state !== 'ACTIVE') throw notFound(detail);
      if (ctx.resolveIncidentRow(inc)) return;
      const el = ctx.element(inc.element_instance_key);
      if (!el) return;
      if (inc.job_key) {
        const job = ctx.jobs.get(inc.job_key);
        if (!job) return;
        if (job.state === 'ERROR_THROWN' || job.retries > 0) {
          job.state = 'ACTIVATABLE';
          job.retry_backoff_until = null;
          job.updated_at = ctx.now;
          ctx.save('job', job);
          ctx.record('JOB', 'RECURRED_AFTER_BACKOFF', job.key, { type: job.type, retries: job.retries }, el);
          ctx.jobTypesCreated.add(job.type);
        } else {
          ctx.raiseIncident(el, noRetriesIncidentType(job), job.error_message || 'No more retries left.', job.key);
        }
        return;
      }
      // A user task transition whose listener job could not be created runs its listeners again.
      if (retryTransition(ctx, el)) return;
      if (el.state === 'ACTIVATING') ctx.queue.push({ kind: 'activate', el });
      else if (el.state === 'COMPLETING') ctx.queue.push({ kind: 'complete', el });
    },
    detail,
  );
}
