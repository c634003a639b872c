import type { FlowNode } from './types.js';

/**
 * Zeebe's deployment checks for zeebe:executionListeners (ExecutionListenersValidator and the element
 * validators of zeebe-bpmn-model; messages as Zeebe writes them), plus the rejection of task
 * listeners anywhere but on a zeebe:userTask.
 */

const SUPPORTED = new Set<string>([
  'PROCESS',
  'SUB_PROCESS',
  'EVENT_SUB_PROCESS',
  'CALL_ACTIVITY',
  'AD_HOC_SUB_PROCESS',
  'TASK',
  'SEND_TASK',
  'SERVICE_TASK',
  'SCRIPT_TASK',
  'USER_TASK',
  'RECEIVE_TASK',
  'BUSINESS_RULE_TASK',
  'MANUAL_TASK',
  'START_EVENT',
  'INTERMEDIATE_THROW_EVENT',
  'INTERMEDIATE_CATCH_EVENT',
  'BOUNDARY_EVENT',
  'END_EVENT',
  'EXCLUSIVE_GATEWAY',
  'INCLUSIVE_GATEWAY',
  'PARALLEL_GATEWAY',
  'EVENT_BASED_GATEWAY',
]);

const GATEWAYS = new Set(['EXCLUSIVE_GATEWAY', 'INCLUSIVE_GATEWAY', 'PARALLEL_GATEWAY', 'EVENT_BASED_GATEWAY']);

/** Listener event types an element cannot run (the documented "Unsupported elements"). */
function unsupportedPhases(node: FlowNode): { phases: string[]; message: string } | null {
  const { type, eventType } = node;
  if (type === 'START_EVENT')
    return { phases: ['start'], message: "Execution listeners of type 'start' are not supported by start events" };
  if (type === 'BOUNDARY_EVENT' && eventType === 'COMPENSATION')
    return {
      phases: ['start', 'end'],
      message: "Execution listeners of type 'start' and 'end' are not supported by [compensation] boundary events",
    };
  if (type === 'BOUNDARY_EVENT')
    return { phases: ['start'], message: "Execution listeners of type 'start' are not supported by boundary events" };
  if (GATEWAYS.has(type))
    return { phases: ['end'], message: "Execution listeners of type 'end' are not supported by gateway element" };
  if (type === 'END_EVENT' && eventType === 'ERROR')
    return { phases: ['end'], message: "Execution listeners of type 'end' are not supported by [error] end events" };
  if (type === 'INTERMEDIATE_THROW_EVENT' && eventType === 'ESCALATION')
    return {
      phases: ['end'],
      message: "Execution listeners of type 'end' are not supported by [escalation] intermediate throw events",
    };
  return null;
}

export function executionListenerErrors(node: FlowNode): string[] {
  const errors: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bpmn-moddle objects are untyped
  const taskListeners = node.moddle?.extensionElements?.values?.find((v: any) => v.$type === 'zeebe:TaskListeners');
  // Task listeners run on Camunda user tasks only (model/task-listener-rules.ts checks them there).
  if (taskListeners?.listeners?.length && !node.userTask)
    errors.push("Task listeners (zeebe:taskListeners) are only supported on user tasks with 'zeebe:userTask'");
  const listeners = node.executionListeners;
  if (!listeners.length) return errors;
  if (!SUPPORTED.has(node.type)) {
    errors.push(`Execution listeners are not supported for the '${node.bpmnType.replace('bpmn:', '')}' element`);
    return errors;
  }
  for (const l of listeners) {
    if (l.eventType !== 'start' && l.eventType !== 'end')
      errors.push(`Attribute 'eventType' must be one of: start, end (was '${l.eventType}')`);
    if (!l.type.raw.trim()) errors.push("Attribute 'type' must be present and not empty");
    if (!l.retries.raw.trim()) errors.push("Attribute 'retries' must be present and not empty");
  }
  const unsupported = unsupportedPhases(node);
  if (unsupported && listeners.some((l) => unsupported.phases.includes(l.eventType))) errors.push(unsupported.message);
  const groups = new Map<string, number>();
  for (const l of listeners)
    groups.set(`${l.eventType}|${l.type.raw}`, (groups.get(`${l.eventType}|${l.type.raw}`) ?? 0) + 1);
  for (const [key, n] of groups) {
    if (n < 2) continue;
    const eventType = key.slice(0, key.indexOf('|'));
    const type = key.slice(key.indexOf('|') + 1);
    errors.push(
      `Found '${n}' duplicates based on eventType[${eventType}] and type[${type}], these combinations should be unique.`,
    );
  }
  return errors;
}
