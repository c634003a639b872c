/** Row shapes of the engine tables (snake_case, as stored). bigint keys are strings. */

export interface ProcessDefinitionRow {
  key: string;
  bpmn_process_id: string;
  version: number;
  version_tag: string | null;
  name: string | null;
  resource_name: string;
  resource: string;
  checksum: string;
  deployment_key: string;
  tenant_id: string;
  deleted: boolean;
  created_at: Date;
}

export interface FormRow {
  key: string;
  form_id: string;
  version: number;
  resource_name: string;
  schema: string;
  checksum: string;
  deployment_key: string;
  tenant_id: string;
  deleted: boolean;
  created_at: Date;
}

export interface ProcessInstanceRow {
  key: string;
  process_definition_key: string;
  bpmn_process_id: string;
  version: number;
  version_tag: string | null;
  tenant_id: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  start_date: Date;
  end_date: Date | null;
  parent_process_instance_key: string | null;
  parent_element_instance_key: string | null;
  incident_count: number;
  tags: string[];
  /** Where the instance enters when not at its none start event (kept while process start listeners run). */
  start_element_ids: string[] | null;
}

export type ElementState = 'ACTIVATING' | 'ACTIVATED' | 'COMPLETING' | 'COMPLETED' | 'TERMINATING' | 'TERMINATED';

export interface ElementInstanceRow {
  key: string;
  process_instance_key: string;
  process_definition_key: string;
  bpmn_process_id: string;
  element_id: string;
  element_name: string | null;
  element_type: string;
  flow_scope_key: string | null;
  state: ElementState;
  start_date: Date;
  end_date: Date | null;
  incident_key: string | null;
  loop_counter: number | null;
  tenant_id: string;
  /** Listeners of the current phase (start while ACTIVATING, end while COMPLETING) already completed. */
  listener_index: number;
  /** Ad-hoc sub-process driven by a job worker: a job result fulfilled its completion condition (migration 0030). */
  completion_condition_fulfilled?: boolean;
}

export interface TakenFlowRow {
  process_instance_key: string;
  flow_scope_key: string;
  gateway_id: string;
  flow_id: string;
  count: number;
}

export interface VariableRow {
  key: string;
  name: string;
  value: string;
  scope_key: string;
  process_instance_key: string;
  process_definition_key: string;
  bpmn_process_id: string;
  tenant_id: string;
}

export type JobState = 'ACTIVATABLE' | 'ACTIVATED' | 'FAILED' | 'COMPLETED' | 'CANCELED' | 'ERROR_THROWN';

export interface JobRow {
  key: string;
  type: string;
  state: JobState;
  kind: string;
  listener_event_type: string;
  retries: number;
  worker: string | null;
  deadline: Date | null;
  retry_backoff_until: Date | null;
  custom_headers: Record<string, string>;
  error_message: string | null;
  error_code: string | null;
  process_instance_key: string;
  element_instance_key: string;
  element_id: string;
  process_definition_key: string;
  bpmn_process_id: string;
  version: number;
  tenant_id: string;
  created_at: Date;
  updated_at: Date;
  end_date: Date | null;
}

export interface IncidentRow {
  key: string;
  error_type: string;
  error_message: string;
  state: 'ACTIVE' | 'RESOLVED';
  process_instance_key: string;
  element_instance_key: string;
  element_id: string;
  job_key: string | null;
  process_definition_key: string;
  bpmn_process_id: string;
  tenant_id: string;
  created_at: Date;
  resolved_at: Date | null;
}

/** Zeebe's user task lifecycle states; the -ING ones while a transition waits for its task listeners. */
export type UserTaskState =
  'CREATING' | 'CREATED' | 'ASSIGNING' | 'UPDATING' | 'COMPLETING' | 'CANCELING' | 'COMPLETED' | 'CANCELED';

export interface UserTaskRow {
  key: string;
  state: UserTaskState;
  element_instance_key: string;
  process_instance_key: string;
  process_definition_key: string;
  bpmn_process_id: string;
  version: number;
  element_id: string;
  name: string | null;
  assignee: string | null;
  candidate_groups: string[];
  candidate_users: string[];
  due_date: Date | null;
  follow_up_date: Date | null;
  priority: number;
  form_key: string | null;
  external_form_reference: string | null;
  custom_headers: Record<string, string>;
  tenant_id: string;
  creation_date: Date;
  completion_date: Date | null;
  /** The lifecycle transition waiting for task listeners (runtime/task-listeners.ts); null otherwise. */
  pending?: unknown;
}

export interface RecordRow {
  key: string;
  value_type: string;
  intent: string;
  record_type?: string;
  process_instance_key: string | null;
  element_instance_key: string | null;
  flow_scope_key: string | null;
  element_id: string | null;
  element_type: string | null;
  process_definition_key: string | null;
  bpmn_process_id: string | null;
  version: number | null;
  tenant_id: string;
  actor: string | null;
  timestamp: Date;
  value: Record<string, unknown>;
}

/** A record of no process instance (a published message, a broadcast signal): the instance columns stay empty. */
export function instancelessRecord(
  key: string,
  valueType: string,
  intent: string,
  tenantId: string,
  timestamp: Date,
  value: Record<string, unknown>,
): RecordRow {
  return {
    key,
    value_type: valueType,
    intent,
    process_instance_key: null,
    element_instance_key: null,
    flow_scope_key: null,
    element_id: null,
    element_type: null,
    process_definition_key: null,
    bpmn_process_id: null,
    version: null,
    tenant_id: tenantId,
    actor: null,
    timestamp,
    value,
  };
}

/** State of an active multi-instance body (elements/containers/multi-instance-body.ts). */
export interface MultiInstanceBodyRow {
  key: string;
  process_instance_key: string;
  /** JSON text of the input collection as evaluated on activation. */
  input_collection: string;
  completed: number;
  terminated: number;
}

/** A completed activity that can be compensated (runtime/events/compensation.ts; migration 0014). */
export interface CompensationSubscriptionRow {
  key: string;
  state: 'CREATED' | 'TRIGGERED' | 'COMPLETED' | 'DELETED';
  process_instance_key: string;
  process_definition_key: string;
  tenant_id: string;
  compensable_activity_id: string;
  compensable_activity_instance_key: string;
  compensable_activity_scope_key: string;
  compensable_activity_scope_id: string;
  scope_path: string[];
  compensation_handler_id: string;
  compensation_handler_instance_key: string | null;
  throw_event_id: string | null;
  throw_event_instance_key: string | null;
  created_at: Date;
}

/**
 * Pending work of an instance whose straight-through run was split across transactions, or halted by
 * the runaway guard (runtime/continuation.ts; migration 0018). One row per instance, while it lasts.
 */
export interface ContinuationRow {
  process_instance_key: string;
  /** JSON text: the queued steps, `[kind, elementInstanceKey, gatewayId?]`, in queue order. */
  steps: string;
  /** JSON text: per-command state the steps need, by keeper name (runtime/scratch.ts). */
  scratch: string;
  /** Steps since every token of the instance last waited (bigint, read as a string). */
  steps_without_wait: string | number;
  /** The runaway incident while halted; null while the steps are due to run. */
  incident_key: string | null;
  actor: string | null;
}

/** Tables written through the unit of work, with their primary key columns. */
export const TABLES = {
  process_instance: ['key'],
  element_instance: ['key'],
  taken_flow: ['flow_scope_key', 'gateway_id', 'flow_id'],
  variable: ['key'],
  job: ['key'],
  incident: ['key'],
  user_task: ['key'],
  timer: ['key'],
  message_subscription: ['key'],
  message: ['key'],
  message_correlation: ['message_key', 'process_instance_key'],
  multi_instance_body: ['key'],
  signal_subscription: ['key'],
  signal_outbox: ['key'],
  compensation_subscription: ['key'],
  continuation: ['process_instance_key'],
} as const;
export type TableName = keyof typeof TABLES;

/** Rows of other kinds (timers, message subscriptions …) that extensions load and clean up. */
export interface GenericRow {
  key: string;
  state: string;
  element_instance_key: string | null;
  [col: string]: unknown;
}

/** Everything an instance is loaded with for one command (store/instance-state.ts → runtime/context.ts). */
export interface InstanceState {
  pi: ProcessInstanceRow;
  elements: ElementInstanceRow[];
  variables: VariableRow[];
  takenFlows: TakenFlowRow[];
  jobs: JobRow[];
  userTasks: UserTaskRow[];
  incidents: IncidentRow[];
  timers: GenericRow[];
  subscriptions: GenericRow[];
  multiInstanceBodies?: MultiInstanceBodyRow[];
  /** Its continuation (at most one): steps a straight-through run left for a later transaction. */
  continuations?: ContinuationRow[];
  /** Latest form key per form id referenced by the model (user tasks link forms by id). */
  forms: Map<string, string>;
}
