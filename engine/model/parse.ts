/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-moddle's object tree is untyped */
import { BpmnModdle } from 'bpmn-moddle';
import { createRequire } from 'node:module';
import type { BpmnElementType, BpmnEventType, Expr, FlowNode, Mapping, ProcessModel, SequenceFlow } from './types.js';

const zeebeModdle = createRequire(import.meta.url)('zeebe-bpmn-moddle/resources/zeebe.json');

/** A problem in a model, reported against the element it belongs to. */
export interface ModelError {
  elementId: string;
  message: string;
}

const ELEMENT_TYPES: Record<string, BpmnElementType> = {
  'bpmn:StartEvent': 'START_EVENT',
  'bpmn:EndEvent': 'END_EVENT',
  'bpmn:IntermediateThrowEvent': 'INTERMEDIATE_THROW_EVENT',
  'bpmn:IntermediateCatchEvent': 'INTERMEDIATE_CATCH_EVENT',
  'bpmn:BoundaryEvent': 'BOUNDARY_EVENT',
  'bpmn:ServiceTask': 'SERVICE_TASK',
  'bpmn:SendTask': 'SEND_TASK',
  'bpmn:BusinessRuleTask': 'BUSINESS_RULE_TASK',
  'bpmn:ScriptTask': 'SCRIPT_TASK',
  'bpmn:UserTask': 'USER_TASK',
  'bpmn:ReceiveTask': 'RECEIVE_TASK',
  'bpmn:ManualTask': 'MANUAL_TASK',
  'bpmn:Task': 'TASK',
  'bpmn:ExclusiveGateway': 'EXCLUSIVE_GATEWAY',
  'bpmn:ParallelGateway': 'PARALLEL_GATEWAY',
  'bpmn:InclusiveGateway': 'INCLUSIVE_GATEWAY',
  'bpmn:EventBasedGateway': 'EVENT_BASED_GATEWAY',
  'bpmn:SubProcess': 'SUB_PROCESS',
  'bpmn:CallActivity': 'CALL_ACTIVITY',
  'bpmn:AdHocSubProcess': 'AD_HOC_SUB_PROCESS',
};

const EVENT_TYPES: Record<string, BpmnEventType> = {
  'bpmn:MessageEventDefinition': 'MESSAGE',
  'bpmn:TimerEventDefinition': 'TIMER',
  'bpmn:ErrorEventDefinition': 'ERROR',
  'bpmn:SignalEventDefinition': 'SIGNAL',
  'bpmn:TerminateEventDefinition': 'TERMINATE',
  'bpmn:EscalationEventDefinition': 'ESCALATION',
  'bpmn:CompensateEventDefinition': 'COMPENSATION',
  'bpmn:ConditionalEventDefinition': 'CONDITIONAL',
  'bpmn:LinkEventDefinition': 'LINK',
};

/** Elements that carry no behaviour and are skipped. */
const IGNORED = new Set([
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Group',
]);

export function expr(raw: string | undefined | null): Expr | undefined {
  if (raw === undefined || raw === null) return undefined;
  const s = String(raw);
  const t = s.trim();
  return t.startsWith('=') ? { feel: t.slice(1).trim(), raw: s } : { static: s, raw: s };
}

function ext(el: any, type: string): any | undefined {
  return el.extensionElements?.values?.find((v: any) => v.$type === type);
}

/** zeebe:header entries; one with an empty key or value is not passed on (Zeebe's task header transformer). */
function headerMap(values: any[] | undefined): Record<string, string> {
  return Object.fromEntries((values ?? []).filter((h: any) => h.key && h.value).map((h: any) => [h.key, h.value]));
}

function mappings(params: any[] | undefined): Mapping[] {
  return (params ?? []).map((p) => ({
    source: expr(p.source ?? '=null') ?? { static: '', raw: '' },
    target: p.target,
  }));
}

function newNode(el: any, type: BpmnElementType, parentId: string | undefined): FlowNode {
  const defs: any[] = el.eventDefinitions ?? [];
  const def = defs[0];
  const eventType: BpmnEventType = def ? (EVENT_TYPES[def.$type] ?? 'UNSPECIFIED') : 'NONE';
  const io = ext(el, 'zeebe:IoMapping');
  const td = ext(el, 'zeebe:TaskDefinition');
  const headers = ext(el, 'zeebe:TaskHeaders');
  const script = ext(el, 'zeebe:Script');
  const node: FlowNode = {
    id: el.id,
    name: el.name ?? undefined,
    type,
    bpmnType: el.$type,
    // Zeebe records a compensation handler activity with bpmnEventType COMPENSATION.
    eventType: type.endsWith('EVENT') ? eventType : el.isForCompensation ? 'COMPENSATION' : 'UNSPECIFIED',
    eventDefinition: def ? { kind: eventType, moddle: def } : undefined,
    parentId,
    incoming: [],
    outgoing: [],
    defaultFlowId: el.default?.id,
    inputs: mappings(io?.inputParameters),
    outputs: mappings(io?.outputParameters),
    hasOutputMappings: !!io?.outputParameters?.length,
    taskDefinition: td
      ? { type: expr(td.type) ?? { static: '', raw: '' }, retries: expr(td.retries ?? '3')! }
      : undefined,
    taskHeaders: headerMap(headers?.values),
    executionListeners: (ext(el, 'zeebe:ExecutionListeners')?.listeners ?? []).map((l: any) => ({
      eventType: l.eventType ?? '',
      type: expr(l.type) ?? { static: '', raw: '' },
      // Zeebe's model defaults an absent retries attribute to 3, as for zeebe:taskDefinition.
      retries: expr(l.retries ?? '3')!,
      headers: headerMap(l.headers?.values),
    })),
    taskListeners: (ext(el, 'zeebe:TaskListeners')?.listeners ?? []).map((l: any) => ({
      eventType: l.eventType ?? '',
      type: expr(l.type) ?? { static: '', raw: '' },
      retries: expr(l.retries ?? '3')!,
    })),
    script: script
      ? { expression: expr(script.expression) ?? { static: '', raw: '' }, resultVariable: script.resultVariable }
      : undefined,
    children: [],
    boundaryEventIds: [],
    attachedToId: el.attachedToRef?.id,
    cancelActivity: el.cancelActivity !== false,
    isInterrupting: el.isInterrupting !== false,
    moddle: el,
  };
  if (el.$type === 'bpmn:UserTask' && ext(el, 'zeebe:UserTask')) {
    const a = ext(el, 'zeebe:AssignmentDefinition');
    const s = ext(el, 'zeebe:TaskSchedule');
    const p = ext(el, 'zeebe:PriorityDefinition');
    const f = ext(el, 'zeebe:FormDefinition');
    node.userTask = {
      assignee: expr(a?.assignee),
      candidateGroups: expr(a?.candidateGroups),
      candidateUsers: expr(a?.candidateUsers),
      dueDate: expr(s?.dueDate),
      followUpDate: expr(s?.followUpDate),
      priority: expr(p?.priority),
      formKey: f?.formKey,
      formId: f?.formId,
      externalReference: expr(f?.externalReference),
    };
  } else if (el.$type === 'bpmn:UserTask') {
    // A user task without zeebe:userTask is Zeebe's job-based user task: a job of the fixed type
    // io.camunda.zeebe:userTask (a zeebe:taskDefinition on it is ignored); the assignment, schedule
    // and form become headers when the job is created (elements/tasks/job-worker-user-task.ts).
    node.taskDefinition = {
      type: { static: 'io.camunda.zeebe:userTask', raw: 'io.camunda.zeebe:userTask' },
      retries: { static: '1', raw: '1' },
    };
    const a = ext(el, 'zeebe:AssignmentDefinition');
    const s = ext(el, 'zeebe:TaskSchedule');
    const f = ext(el, 'zeebe:FormDefinition');
    node.jobWorkerUserTask = {
      assignee: expr(a?.assignee),
      candidateGroups: expr(a?.candidateGroups),
      candidateUsers: expr(a?.candidateUsers),
      dueDate: expr(s?.dueDate),
      followUpDate: expr(s?.followUpDate),
      formKey: f?.formKey,
    };
  }
  const called = ext(el, 'zeebe:CalledElement');
  if (called) {
    // bindingType / versionTag are newer than the moddle descriptor: they arrive as unknown attributes.
    const attr = (name: string): string | undefined =>
      called[name] ?? called.$attrs?.[name] ?? called.$attrs?.[`zeebe:${name}`];
    node.calledElement = {
      processId: expr(called.processId ?? called.processIdExpression) ?? { static: '', raw: '' },
      propagateAllChildVariables: called.propagateAllChildVariables !== false,
      propagateAllParentVariables: called.propagateAllParentVariables !== false,
      bindingType: attr('bindingType') ?? 'latest',
      versionTag: attr('versionTag'),
    };
  }
  const decision = ext(el, 'zeebe:CalledDecision');
  if (decision) {
    const attr = (name: string): string | undefined =>
      decision[name] ?? decision.$attrs?.[name] ?? decision.$attrs?.[`zeebe:${name}`];
    node.calledDecision = {
      decisionId: expr(decision.decisionId) ?? { static: '', raw: '' },
      resultVariable: decision.resultVariable ?? '',
      bindingType: attr('bindingType') ?? 'latest',
      versionTag: attr('versionTag'),
    };
  }
  const lc = el.loopCharacteristics;
  if (lc?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
    const z = ext(lc, 'zeebe:LoopCharacteristics');
    node.loop = {
      sequential: !!lc.isSequential,
      inputCollection: expr(z?.inputCollection),
      inputElement: z?.inputElement,
      outputCollection: z?.outputCollection,
      outputElement: expr(z?.outputElement),
      completionCondition: expr(lc.completionCondition?.body),
    };
  }
  if (type === 'AD_HOC_SUB_PROCESS') {
    const adHoc = ext(el, 'zeebe:AdHoc');
    node.adHoc = {
      activeElementsCollection: expr(adHoc?.activeElementsCollection),
      outputCollection: adHoc?.outputCollection || undefined,
      outputElement: expr(adHoc?.outputElement),
      completionCondition: expr(el.completionCondition?.body),
      cancelRemainingInstances: el.cancelRemainingInstances !== false,
      activityIds: [], // known once its flows are (adHocInnerInstance)
      innerInstanceId: `${el.id}#innerInstance`,
    };
  }
  return node;
}

/**
 * After an ad-hoc sub-process is walked: its activatable elements (children without incoming flows),
 * and the synthetic node of the AD_HOC_SUB_PROCESS_INNER_INSTANCE each activated element runs in
 * (Zeebe's `<id>#innerInstance`; not one of its children, so no scope scan meets it).
 */
function adHocInnerInstance(adHoc: FlowNode, model: ProcessModel): void {
  const def = adHoc.adHoc!;
  def.activityIds = adHoc.children.filter((id) => {
    const n = model.nodes.get(id)!;
    return !n.incoming.length && n.type !== 'BOUNDARY_EVENT' && n.type !== 'EVENT_SUB_PROCESS';
  });
  model.nodes.set(def.innerInstanceId, {
    ...newNode(
      { id: def.innerInstanceId, $type: 'bpmn:AdHocSubProcess' },
      'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
      adHoc.id,
    ),
    moddle: null,
  });
}

function walk(container: any, parent: FlowNode, model: ProcessModel, errors: ModelError[]): void {
  const flowEls: any[] = container.flowElements ?? [];
  for (const el of flowEls) {
    if (el.$type === 'bpmn:SequenceFlow' || IGNORED.has(el.$type)) continue;
    let type = ELEMENT_TYPES[el.$type];
    if (el.$type === 'bpmn:SubProcess' && el.triggeredByEvent) type = 'EVENT_SUB_PROCESS';
    if (!type) {
      errors.push({ elementId: el.id, message: `Element type '${el.$type.replace('bpmn:', '')}' is not supported` });
      continue;
    }
    if (model.nodes.has(el.id)) errors.push({ elementId: el.id, message: `Duplicate element id '${el.id}'` });
    const node = newNode(el, type, parent.id);
    model.nodes.set(node.id, node);
    parent.children.push(node.id);
    if (type === 'SUB_PROCESS' || type === 'EVENT_SUB_PROCESS' || type === 'AD_HOC_SUB_PROCESS')
      walk(el, node, model, errors);
    if (type === 'AD_HOC_SUB_PROCESS') adHocInnerInstance(node, model);
  }
  for (const el of flowEls) {
    if (el.$type !== 'bpmn:SequenceFlow') continue;
    const flow: SequenceFlow = {
      id: el.id,
      name: el.name ?? undefined,
      sourceId: el.sourceRef?.id,
      targetId: el.targetRef?.id,
      condition: expr(el.conditionExpression?.body),
    };
    const source = model.nodes.get(flow.sourceId);
    const target = model.nodes.get(flow.targetId);
    if (!source || !target) {
      errors.push({ elementId: el.id, message: 'Sequence flow must connect two supported elements' });
      continue;
    }
    model.flows.set(flow.id, flow);
    source.outgoing.push(flow);
    target.incoming.push(flow);
  }
}

/** Builds the executable graphs of every executable process in one BPMN file. */
export async function parseBpmn(xml: string): Promise<{ processes: ProcessModel[]; errors: ModelError[] }> {
  const moddle = new BpmnModdle({ zeebe: zeebeModdle });
  let definitions: any;
  try {
    const result = await moddle.fromXML(xml, 'bpmn:Definitions');
    definitions = result.rootElement;
  } catch (e) {
    return { processes: [], errors: [{ elementId: '', message: `Failed to parse BPMN XML: ${(e as Error).message}` }] };
  }
  const errors: ModelError[] = [];
  const processes: ProcessModel[] = [];
  for (const p of definitions.rootElements ?? []) {
    if (p.$type !== 'bpmn:Process' || p.isExecutable === false) continue;
    const root = newNode(p, 'PROCESS', undefined);
    const versionTag = ext(p, 'zeebe:VersionTag')?.value;
    const model: ProcessModel = {
      bpmnProcessId: p.id,
      name: p.name ?? undefined,
      versionTag,
      nodes: new Map([[p.id, root]]),
      flows: new Map(),
      root,
    };
    walk(p, root, model, errors);
    for (const node of model.nodes.values()) {
      if (node.attachedToId) model.nodes.get(node.attachedToId)?.boundaryEventIds.push(node.id);
    }
    processes.push(model);
  }
  if (!processes.length && !errors.length)
    errors.push({ elementId: '', message: 'Must contain at least one executable process' });
  return { processes, errors };
}
