import { run, sql, type Queryable } from '../search/builder.js';
import { NotFoundError } from '../search/request-error.js';
import type { SearchDefinition } from '../search/run.js';
import { iso, opt } from './shared.js';

/** Zeebe's lifecycle states folded into the API's three (a transition in flight is still ACTIVE). */
export const ELEMENT_STATES: Record<string, readonly string[]> = {
  ACTIVE: ['ACTIVATING', 'ACTIVATED', 'COMPLETING', 'TERMINATING'],
  COMPLETED: ['COMPLETED'],
  TERMINATED: ['TERMINATED'],
};

const API_STATE: Record<string, 'ACTIVE' | 'COMPLETED' | 'TERMINATED'> = Object.fromEntries(
  Object.entries(ELEMENT_STATES).flatMap(([api, stored]) =>
    stored.map((s) => [s, api as 'ACTIVE' | 'COMPLETED' | 'TERMINATED']),
  ),
);

export const ELEMENT_TYPES = [
  'UNSPECIFIED',
  'PROCESS',
  'SUB_PROCESS',
  'EVENT_SUB_PROCESS',
  'AD_HOC_SUB_PROCESS',
  'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
  'START_EVENT',
  'INTERMEDIATE_CATCH_EVENT',
  'INTERMEDIATE_THROW_EVENT',
  'BOUNDARY_EVENT',
  'END_EVENT',
  'SERVICE_TASK',
  'RECEIVE_TASK',
  'USER_TASK',
  'MANUAL_TASK',
  'TASK',
  'EXCLUSIVE_GATEWAY',
  'INCLUSIVE_GATEWAY',
  'PARALLEL_GATEWAY',
  'EVENT_BASED_GATEWAY',
  'SEQUENCE_FLOW',
  'MULTI_INSTANCE_BODY',
  'CALL_ACTIVITY',
  'BUSINESS_RULE_TASK',
  'SCRIPT_TASK',
  'SEND_TASK',
  'UNKNOWN',
] as const;
type ElementType = (typeof ELEMENT_TYPES)[number];

export function elementInstanceItem(r: Record<string, unknown>) {
  const type = r.element_type as string;
  return {
    processDefinitionId: r.bpmn_process_id as string,
    startDate: iso(r.start_date) as string,
    endDate: iso(r.end_date),
    elementId: r.element_id as string,
    elementName: (r.element_name as string | null) ?? (r.element_id as string),
    type: ((ELEMENT_TYPES as readonly string[]).includes(type) ? type : 'UNKNOWN') as ElementType,
    state: API_STATE[r.state as string] ?? 'ACTIVE',
    hasIncident: r.incident_key !== null,
    tenantId: r.tenant_id as string,
    elementInstanceKey: r.key as string,
    processInstanceKey: r.process_instance_key as string,
    processDefinitionKey: r.process_definition_key as string,
    incidentKey: opt(r.incident_key as string | null),
  };
}

/**
 * Camunda's element instances are the flow nodes Operate shows: the process instance's own row (element type
 * PROCESS) is not one of them — it is read as a process instance — and sequence flows are never element instances
 * (they are records only, read through the instance's sequence flows). So a search never finds the process row and
 * a get by a process instance key is 404, as in Camunda 8.8.
 */
export const elementInstanceSearch: SearchDefinition<ReturnType<typeof elementInstanceItem>> = {
  base: (k) => k.from('engine.element_instance as ei').select('ei.*').whereNot('ei.element_type', 'PROCESS'),
  key: 'ei.key',
  filter: {
    processDefinitionId: { kind: 'string', column: 'ei.bpmn_process_id', plainOnly: true },
    state: { kind: 'enum', column: 'ei.state', values: ELEMENT_STATES },
    type: {
      kind: 'enum',
      column: 'ei.element_type',
      values: Object.fromEntries(ELEMENT_TYPES.map((t) => [t, [t]])),
      plainOnly: true,
    },
    elementId: { kind: 'string', column: 'ei.element_id', plainOnly: true },
    elementName: { kind: 'string', column: 'coalesce(ei.element_name, ei.element_id)', plainOnly: true },
    hasIncident: { kind: 'boolean', column: '(ei.incident_key IS NOT NULL)' },
    tenantId: { kind: 'string', column: 'ei.tenant_id', plainOnly: true },
    elementInstanceKey: { kind: 'key', column: 'ei.key', plainOnly: true },
    processInstanceKey: { kind: 'key', column: 'ei.process_instance_key', plainOnly: true },
    processDefinitionKey: { kind: 'key', column: 'ei.process_definition_key', plainOnly: true },
    incidentKey: { kind: 'key', column: 'ei.incident_key', plainOnly: true },
    startDate: { kind: 'datetime', column: 'ei.start_date' },
    endDate: { kind: 'datetime', column: 'ei.end_date' },
    elementInstanceScopeKey: { kind: 'key', column: 'ei.flow_scope_key', plainOnly: true },
  },
  sort: {
    elementInstanceKey: { kind: 'key', column: 'ei.key' },
    processInstanceKey: { kind: 'key', column: 'ei.process_instance_key' },
    processDefinitionKey: { kind: 'key', column: 'ei.process_definition_key' },
    processDefinitionId: { kind: 'string', column: 'ei.bpmn_process_id' },
    startDate: { kind: 'datetime', column: 'ei.start_date' },
    endDate: { kind: 'datetime', column: 'ei.end_date', nullable: true },
    elementId: { kind: 'string', column: 'ei.element_id' },
    elementName: { kind: 'string', column: 'coalesce(ei.element_name, ei.element_id)' },
    type: { kind: 'string', column: 'ei.element_type' },
    state: { kind: 'string', column: 'ei.state' },
    incidentKey: { kind: 'key', column: 'ei.incident_key', nullable: true },
    tenantId: { kind: 'string', column: 'ei.tenant_id' },
  },
  toItem: elementInstanceItem,
};

export async function getElementInstance(db: Queryable, key: string) {
  const [row] = await run(db, elementInstanceSearch.base(sql).where('ei.key', key));
  if (!row) throw new NotFoundError(`Element instance with key '${key}' not found`);
  return elementInstanceItem(row);
}
