import type { FlowNode, ProcessModel } from './types.js';
import { errorCode } from '../elements/events/definitions.js';

/**
 * Camunda 8.8 docs, BPMN › Error events: "It is not possible to define multiple error catch events with the same
 * errorCode in a single scope. It is also not permitted to have multiple error catch events without an errorCode
 * in a single scope. The deployment gets rejected in these cases." A scope's catch events are the error boundary
 * events of an activity, or the error start events of the event sub-processes of a process or sub-process.
 * Messages as Zeebe's validator words them.
 */
export function errorCatchScopeErrors(node: FlowNode, model: ProcessModel): string[] {
  const catches: FlowNode[] = [];
  for (const id of node.boundaryEventIds) {
    const b = model.nodes.get(id);
    if (b?.eventType === 'ERROR') catches.push(b);
  }
  for (const id of node.children) {
    const child = model.nodes.get(id);
    if (child?.type !== 'EVENT_SUB_PROCESS') continue;
    for (const startId of child.children) {
      const start = model.nodes.get(startId);
      if (start?.type === 'START_EVENT' && start.eventType === 'ERROR') catches.push(start);
    }
  }
  if (catches.length < 2) return [];
  const errors: string[] = [];
  const seen = new Set<string>();
  let catchAll = 0;
  for (const c of catches) {
    const code = errorCode(c)?.raw;
    if (code === undefined) {
      catchAll += 1;
      if (catchAll === 2)
        errors.push(
          'The same scope can not contain more than one error catch event without error code. An error catch event without error code catches all errors.',
        );
    } else if (seen.has(code)) {
      errors.push(
        `Multiple error catch events with the same error code '${code}' are not supported on the same scope.`,
      );
    } else seen.add(code);
  }
  return errors;
}
