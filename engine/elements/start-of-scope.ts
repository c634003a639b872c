import type { FlowNode, ProcessModel } from '../model/types.js';

/** The none start event a process or embedded sub-process starts at (event sub-processes excluded). */
export function noneStartEvent(model: ProcessModel, container: FlowNode): FlowNode | undefined {
  return container.children
    .map((id) => model.nodes.get(id)!)
    .find((n) => n.type === 'START_EVENT' && n.eventType === 'NONE');
}

export function noneStartEventErrors(model: ProcessModel, container: FlowNode): string[] {
  const starts = container.children.map((id) => model.nodes.get(id)!).filter((n) => n.type === 'START_EVENT');
  const none = starts.filter((n) => n.eventType === 'NONE');
  if (none.length > 1) return ['Multiple none start events are not allowed'];
  if (container.type === 'SUB_PROCESS' && (starts.length !== 1 || none.length !== 1))
    return ['Must have exactly one none start event'];
  if (container.type === 'PROCESS' && !starts.length) return ['Must have at least one start event'];
  return [];
}
