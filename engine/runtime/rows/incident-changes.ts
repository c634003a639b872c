import type { ElementInstanceRow, IncidentRow } from '../../store/rows.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { IncidentErrorType } from '../incident-error.js';

/** Raising and resolving an instance's incidents: the incident row, its element and the instance's count. */

export function raiseIncident(
  ctx: UnitOfWork,
  el: ElementInstanceRow,
  errorType: IncidentErrorType,
  message: string,
  jobKey: string | null,
): IncidentRow {
  const { pi, now } = ctx;
  const inc: IncidentRow = {
    key: ctx.nextKey(),
    error_type: errorType,
    error_message: message,
    state: 'ACTIVE',
    process_instance_key: pi.key,
    element_instance_key: el.key,
    element_id: el.element_id,
    job_key: jobKey,
    process_definition_key: pi.process_definition_key,
    bpmn_process_id: pi.bpmn_process_id,
    tenant_id: pi.tenant_id,
    created_at: now,
    resolved_at: null,
  };
  ctx.incidents.set(inc.key, inc);
  ctx.save('incident', inc);
  el.incident_key = inc.key;
  ctx.save('element_instance', el);
  pi.incident_count += 1;
  ctx.save('process_instance', pi);
  ctx.record('INCIDENT', 'CREATED', inc.key, { errorType, errorMessage: message, jobKey: jobKey ?? '-1' }, el);
  return inc;
}

export function resolveIncident(ctx: UnitOfWork, inc: IncidentRow): void {
  const { pi } = ctx;
  inc.state = 'RESOLVED';
  inc.resolved_at = ctx.now;
  ctx.save('incident', inc);
  pi.incident_count = Math.max(0, pi.incident_count - 1);
  ctx.save('process_instance', pi);
  const el = ctx.elements.get(inc.element_instance_key);
  if (el && el.incident_key === inc.key) {
    el.incident_key = null;
    ctx.save('element_instance', el);
  }
  ctx.record(
    'INCIDENT',
    'RESOLVED',
    inc.key,
    { errorType: inc.error_type, errorMessage: inc.error_message, jobKey: inc.job_key ?? '-1' },
    el,
  );
}
