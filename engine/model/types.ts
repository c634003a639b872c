/** The executable graph of one BPMN process, built by parse.ts from bpmn-moddle's object tree. */

/** Zeebe's BpmnElementType names: they appear in records, element instances and the API. */
export type BpmnElementType =
  | 'PROCESS'
  | 'SUB_PROCESS'
  | 'EVENT_SUB_PROCESS'
  | 'START_EVENT'
  | 'INTERMEDIATE_CATCH_EVENT'
  | 'INTERMEDIATE_THROW_EVENT'
  | 'BOUNDARY_EVENT'
  | 'END_EVENT'
  | 'SERVICE_TASK'
  | 'RECEIVE_TASK'
  | 'USER_TASK'
  | 'MANUAL_TASK'
  | 'TASK'
  | 'EXCLUSIVE_GATEWAY'
  | 'PARALLEL_GATEWAY'
  | 'EVENT_BASED_GATEWAY'
  | 'INCLUSIVE_GATEWAY'
  | 'SEQUENCE_FLOW'
  | 'MULTI_INSTANCE_BODY'
  | 'CALL_ACTIVITY'
  | 'BUSINESS_RULE_TASK'
  | 'SCRIPT_TASK'
  | 'SEND_TASK'
  | 'AD_HOC_SUB_PROCESS'
  | 'AD_HOC_SUB_PROCESS_INNER_INSTANCE'
  | 'UNSPECIFIED';

/** Zeebe's BpmnEventType (records carry it). */
export type BpmnEventType =
  | 'NONE'
  | 'MESSAGE'
  | 'TIMER'
  | 'ERROR'
  | 'SIGNAL'
  | 'TERMINATE'
  | 'ESCALATION'
  | 'COMPENSATION'
  | 'CONDITIONAL'
  | 'LINK'
  | 'UNSPECIFIED';

/** A value from the model: a FEEL expression (`=…`) or a static string. */
export type Expr = { feel: string; raw: string } | { static: string; raw: string };

export interface Mapping {
  source: Expr;
  target: string;
}

export interface SequenceFlow {
  id: string;
  name?: string;
  sourceId: string;
  targetId: string;
  condition?: Expr;
}

export interface EventDefinition {
  kind: BpmnEventType;
  /** The moddle object of the definition (messageRef, timeDuration, errorRef …) for the events helper. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bpmn-moddle objects are untyped
  moddle: any;
}

export interface UserTaskDef {
  assignee?: Expr;
  candidateGroups?: Expr;
  candidateUsers?: Expr;
  dueDate?: Expr;
  followUpDate?: Expr;
  priority?: Expr;
  formKey?: string;
  formId?: string;
  externalReference?: Expr;
}

export interface CalledElement {
  processId: Expr;
  propagateAllChildVariables: boolean;
  propagateAllParentVariables: boolean;
  bindingType: 'latest' | 'deployment' | 'versionTag' | string;
  versionTag?: string;
}

/** zeebe:calledDecision: the decision a business-rule task evaluates and where its result goes. */
export interface CalledDecision {
  decisionId: Expr;
  resultVariable: string;
  bindingType: 'latest' | 'deployment' | 'versionTag' | string;
  versionTag?: string;
}

/** zeebe:executionListener: a job of `type` run before (start) or after (end) the element's own behaviour. */
export interface ExecutionListener {
  /** As written in the model; validate.ts rejects anything but 'start' and 'end'. */
  eventType: string;
  type: Expr;
  retries: Expr;
  headers: Record<string, string>;
}

/** zeebe:taskListener on a zeebe:userTask: a job of `type` that a lifecycle transition waits for (runtime/task-listeners.ts). */
export interface TaskListener {
  /** As written in the model; 8.8 names (creating …) and the older aliases (assignment, complete …). */
  eventType: string;
  type: Expr;
  retries: Expr;
}

/** An ad-hoc sub-process: zeebe:adHoc, its completion condition, and how it is driven (elements/containers/ad-hoc-sub-process.ts). */
export interface AdHocDef {
  activeElementsCollection?: Expr;
  outputCollection?: string;
  outputElement?: Expr;
  completionCondition?: Expr;
  /** BPMN's attribute; absent means true. */
  cancelRemainingInstances: boolean;
  /** Its activatable elements: the children without incoming sequence flows. */
  activityIds: string[];
  /** The synthetic AD_HOC_SUB_PROCESS_INNER_INSTANCE node each activated element runs in (`<id>#innerInstance`). */
  innerInstanceId: string;
}

export interface FlowNode {
  id: string;
  name?: string;
  type: BpmnElementType;
  /** moddle $type, e.g. 'bpmn:ServiceTask'. */
  bpmnType: string;
  eventType: BpmnEventType;
  eventDefinition?: EventDefinition;
  /** Container this node lives in (PROCESS or a sub-process); undefined for the process itself. */
  parentId?: string;
  incoming: SequenceFlow[];
  outgoing: SequenceFlow[];
  defaultFlowId?: string;
  inputs: Mapping[];
  outputs: Mapping[];
  /** True when the model declares zeebe:ioMapping output parameters (even an empty list matters). */
  hasOutputMappings: boolean;
  taskDefinition?: { type: Expr; retries: Expr };
  taskHeaders: Record<string, string>;
  /** zeebe:executionListeners in model order (runtime/execution-listeners.ts). */
  executionListeners: ExecutionListener[];
  /** zeebe:taskListeners of a user task, in model order. */
  taskListeners?: TaskListener[];
  script?: { expression: Expr; resultVariable: string };
  userTask?: UserTaskDef;
  /** A user task without zeebe:userTask: what its io.camunda.zeebe:userTask job carries as headers. */
  jobWorkerUserTask?: Pick<
    UserTaskDef,
    'assignee' | 'candidateGroups' | 'candidateUsers' | 'dueDate' | 'followUpDate' | 'formKey'
  >;
  /** Containers (PROCESS, SUB_PROCESS, EVENT_SUB_PROCESS): direct children by id. */
  children: string[];
  /** Boundary events attached to this activity. */
  boundaryEventIds: string[];
  attachedToId?: string;
  cancelActivity?: boolean;
  /** For EVENT_SUB_PROCESS start events: interrupting or not. */
  isInterrupting?: boolean;
  /** zeebe:calledElement of a call activity (elements/containers/call-activity.ts). */
  calledElement?: CalledElement;
  /** zeebe:calledDecision of a business-rule task (elements/tasks/business-rule-task.ts). */
  calledDecision?: CalledDecision;
  /** multi-instance characteristics (elements/containers/multi-instance-body.ts executes them). */
  loop?: {
    sequential: boolean;
    inputCollection?: Expr;
    inputElement?: string;
    outputCollection?: string;
    outputElement?: Expr;
    completionCondition?: Expr;
  };
  /** Ad-hoc sub-processes only. */
  adHoc?: AdHocDef;
  /** The moddle element itself, for behaviours needing model details the graph does not carry. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bpmn-moddle objects are untyped
  moddle: any;
}

export interface ProcessModel {
  bpmnProcessId: string;
  name?: string;
  versionTag?: string;
  nodes: Map<string, FlowNode>;
  flows: Map<string, SequenceFlow>;
  /** The PROCESS node (id = bpmnProcessId). */
  root: FlowNode;
}

export interface ParsedResource {
  resourceName: string;
  processes: ProcessModel[];
}
