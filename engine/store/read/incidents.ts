import { run, sql, type Queryable } from '../search/builder.js';
import { NotFoundError } from '../search/request-error.js';
import { runSearch, type SearchDefinition } from '../search/run.js';
import { identity, iso, opt } from './shared.js';
import { getProcessInstance } from './process-instances.js';

export const ERROR_TYPES = [
  'UNSPECIFIED',
  'UNKNOWN',
  'IO_MAPPING_ERROR',
  'JOB_NO_RETRIES',
  'EXECUTION_LISTENER_NO_RETRIES',
  'TASK_LISTENER_NO_RETRIES',
  'AD_HOC_SUB_PROCESS_NO_RETRIES',
  'CONDITION_ERROR',
  'EXTRACT_VALUE_ERROR',
  'CALLED_ELEMENT_ERROR',
  'UNHANDLED_ERROR_EVENT',
  'MESSAGE_SIZE_EXCEEDED',
  'CALLED_DECISION_ERROR',
  'DECISION_EVALUATION_ERROR',
  'FORM_NOT_FOUND',
  'RESOURCE_NOT_FOUND',
] as const;
type ErrorType = (typeof ERROR_TYPES)[number];
const STATES = ['ACTIVE', 'MIGRATED', 'RESOLVED', 'PENDING'] as const;

export function incidentItem(r: Record<string, unknown>) {
  const errorType = r.error_type as string;
  return {
    processDefinitionId: r.bpmn_process_id as string,
    errorType: ((ERROR_TYPES as readonly string[]).includes(errorType) ? errorType : 'UNKNOWN') as ErrorType,
    errorMessage: r.error_message as string,
    elementId: r.element_id as string,
    creationTime: iso(r.created_at) as string,
    state: r.state as (typeof STATES)[number],
    tenantId: r.tenant_id as string,
    incidentKey: r.key as string,
    processDefinitionKey: r.process_definition_key as string,
    processInstanceKey: r.process_instance_key as string,
    elementInstanceKey: r.element_instance_key as string,
    jobKey: opt(r.job_key as string | null),
  };
}

export const incidentSearch: SearchDefinition<ReturnType<typeof incidentItem>> = {
  base: (k) => k.from('engine.incident as i').select('i.*'),
  key: 'i.key',
  filter: {
    processDefinitionId: { kind: 'string', column: 'i.bpmn_process_id', plainOnly: true },
    errorType: { kind: 'enum', column: 'i.error_type', values: identity(...ERROR_TYPES), plainOnly: true },
    errorMessage: { kind: 'string', column: 'i.error_message', plainOnly: true },
    elementId: { kind: 'string', column: 'i.element_id', plainOnly: true },
    creationTime: { kind: 'datetime', column: 'i.created_at' },
    state: { kind: 'enum', column: 'i.state', values: identity(...STATES), plainOnly: true },
    tenantId: { kind: 'string', column: 'i.tenant_id', plainOnly: true },
    incidentKey: { kind: 'key', column: 'i.key', plainOnly: true },
    processDefinitionKey: { kind: 'key', column: 'i.process_definition_key', plainOnly: true },
    processInstanceKey: { kind: 'key', column: 'i.process_instance_key', plainOnly: true },
    elementInstanceKey: { kind: 'key', column: 'i.element_instance_key', plainOnly: true },
    jobKey: { kind: 'key', column: 'i.job_key', plainOnly: true },
  },
  sort: {
    incidentKey: { kind: 'key', column: 'i.key' },
    processDefinitionKey: { kind: 'key', column: 'i.process_definition_key' },
    processDefinitionId: { kind: 'string', column: 'i.bpmn_process_id' },
    processInstanceKey: { kind: 'key', column: 'i.process_instance_key' },
    errorType: { kind: 'string', column: 'i.error_type' },
    errorMessage: { kind: 'string', column: 'i.error_message' },
    elementId: { kind: 'string', column: 'i.element_id' },
    elementInstanceKey: { kind: 'key', column: 'i.element_instance_key' },
    creationTime: { kind: 'datetime', column: 'i.created_at' },
    state: { kind: 'string', column: 'i.state' },
    jobKey: { kind: 'key', column: 'i.job_key', nullable: true },
    tenantId: { kind: 'string', column: 'i.tenant_id' },
  },
  toItem: incidentItem,
};

export async function getIncident(db: Queryable, key: string) {
  const [row] = await run(db, incidentSearch.base(sql).where('i.key', key));
  if (!row) throw new NotFoundError(`Incident with key '${key}' not found`);
  return incidentItem(row);
}

/**
 * Incidents of one process instance and of the instances it called (a call activity's incident
 * stops its caller too). The body takes sort and page only, as in Camunda.
 */
export async function searchProcessInstanceIncidents(db: Queryable, processInstanceKey: string, body: unknown) {
  await getProcessInstance(db, processInstanceKey);
  const tree = `i.process_instance_key IN (WITH RECURSIVE down(key, depth) AS (
      SELECT ?::bigint, 0
      UNION ALL
      SELECT pi.key, down.depth + 1 FROM engine.process_instance pi JOIN down ON pi.parent_process_instance_key = down.key WHERE down.depth < 100)
    SELECT key FROM down)`;
  return runSearch(db, { ...incidentSearch, filter: {} }, body, [{ sql: tree, bindings: [processInstanceKey] }]);
}
