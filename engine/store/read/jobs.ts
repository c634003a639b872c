import type { SearchDefinition } from '../search/run.js';
import { iso, opt } from './shared.js';

/** Stored job states → Camunda's JobStateEnum (activatable and activated jobs are both CREATED). */
const JOB_STATES: Record<string, readonly string[]> = {
  CREATED: ['ACTIVATABLE', 'ACTIVATED'],
  COMPLETED: ['COMPLETED'],
  FAILED: ['FAILED'],
  CANCELED: ['CANCELED'],
  ERROR_THROWN: ['ERROR_THROWN'],
  MIGRATED: [],
  RETRIES_UPDATED: [],
  TIMED_OUT: [],
};
const API_STATE = Object.fromEntries(
  Object.entries(JOB_STATES).flatMap(([api, stored]) => stored.map((s) => [s, api])),
);
const KINDS = ['BPMN_ELEMENT', 'EXECUTION_LISTENER', 'TASK_LISTENER', 'AD_HOC_SUB_PROCESS'] as const;
const LISTENER_EVENTS = [
  'ASSIGNING',
  'CANCELING',
  'COMPLETING',
  'CREATING',
  'END',
  'START',
  'UNSPECIFIED',
  'UPDATING',
] as const;
type JobState =
  'CANCELED' | 'COMPLETED' | 'CREATED' | 'ERROR_THROWN' | 'FAILED' | 'MIGRATED' | 'RETRIES_UPDATED' | 'TIMED_OUT';

export function jobItem(r: Record<string, unknown>) {
  return {
    customHeaders: (r.custom_headers as Record<string, string> | null) ?? {},
    deadline: iso(r.deadline),
    elementId: r.element_id as string,
    elementInstanceKey: r.element_instance_key as string,
    endTime: iso(r.end_date),
    errorCode: opt(r.error_code as string | null),
    errorMessage: opt(r.error_message as string | null),
    hasFailedWithRetriesLeft: r.state === 'FAILED' && (r.retries as number) > 0,
    isDenied: false,
    jobKey: r.key as string,
    kind: r.kind as (typeof KINDS)[number],
    listenerEventType: r.listener_event_type as (typeof LISTENER_EVENTS)[number],
    processDefinitionId: r.bpmn_process_id as string,
    processDefinitionKey: r.process_definition_key as string,
    processInstanceKey: r.process_instance_key as string,
    retries: r.retries as number,
    state: (API_STATE[r.state as string] ?? 'CREATED') as JobState,
    tenantId: r.tenant_id as string,
    type: r.type as string,
    worker: (r.worker as string | null) ?? '',
  };
}

const byName = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, [v]]));

export const jobSearch: SearchDefinition<ReturnType<typeof jobItem>> = {
  base: (k) => k.from('engine.job as j').select('j.*'),
  key: 'j.key',
  filter: {
    deadline: { kind: 'datetime', column: 'j.deadline' },
    deniedReason: { kind: 'string', column: 'NULL::text' },
    elementId: { kind: 'string', column: 'j.element_id' },
    elementInstanceKey: { kind: 'key', column: 'j.element_instance_key' },
    endTime: { kind: 'datetime', column: 'j.end_date' },
    errorCode: { kind: 'string', column: 'j.error_code' },
    errorMessage: { kind: 'string', column: 'j.error_message' },
    hasFailedWithRetriesLeft: { kind: 'boolean', column: `(j.state = 'FAILED' AND j.retries > 0)` },
    isDenied: { kind: 'boolean', column: 'false' },
    jobKey: { kind: 'key', column: 'j.key' },
    kind: { kind: 'enum', column: 'j.kind', values: byName(KINDS) },
    listenerEventType: { kind: 'enum', column: 'j.listener_event_type', values: byName(LISTENER_EVENTS) },
    processDefinitionId: { kind: 'string', column: 'j.bpmn_process_id' },
    processDefinitionKey: { kind: 'key', column: 'j.process_definition_key' },
    processInstanceKey: { kind: 'key', column: 'j.process_instance_key' },
    retries: { kind: 'int', column: 'j.retries' },
    state: { kind: 'enum', column: 'j.state', values: JOB_STATES },
    tenantId: { kind: 'string', column: 'j.tenant_id' },
    type: { kind: 'string', column: 'j.type' },
    worker: { kind: 'string', column: 'j.worker' },
  },
  sort: {
    deadline: { kind: 'datetime', column: 'j.deadline', nullable: true },
    deniedReason: { kind: 'string', column: 'NULL::text', nullable: true },
    elementId: { kind: 'string', column: 'j.element_id' },
    elementInstanceKey: { kind: 'key', column: 'j.element_instance_key' },
    endTime: { kind: 'datetime', column: 'j.end_date', nullable: true },
    errorCode: { kind: 'string', column: 'j.error_code', nullable: true },
    errorMessage: { kind: 'string', column: 'j.error_message', nullable: true },
    isDenied: { kind: 'boolean', column: 'false' },
    jobKey: { kind: 'key', column: 'j.key' },
    kind: { kind: 'string', column: 'j.kind' },
    listenerEventType: { kind: 'string', column: 'j.listener_event_type' },
    processDefinitionId: { kind: 'string', column: 'j.bpmn_process_id' },
    processDefinitionKey: { kind: 'key', column: 'j.process_definition_key' },
    processInstanceKey: { kind: 'key', column: 'j.process_instance_key' },
    retries: { kind: 'int', column: 'j.retries' },
    state: { kind: 'string', column: 'j.state' },
    tenantId: { kind: 'string', column: 'j.tenant_id' },
    type: { kind: 'string', column: 'j.type' },
    worker: { kind: 'string', column: 'j.worker', nullable: true },
  },
  toItem: jobItem,
};
