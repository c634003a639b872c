import type { Expr, FlowNode, ProcessModel } from './types.js';
import type { ModelError } from './parse.js';
import { checkSyntax as feelSyntaxError } from '../feel/index.js';
import { errorCatchScopeErrors } from './error-catch-rules.js';
import { executionListenerErrors } from './execution-listener-rules.js';

function exprsOf(node: FlowNode): Array<Expr | undefined> {
  const u = node.userTask;
  return [
    ...node.inputs.map((m) => m.source),
    ...node.outputs.map((m) => m.source),
    node.taskDefinition?.type,
    node.taskDefinition?.retries,
    node.script?.expression,
    u?.assignee,
    u?.candidateGroups,
    u?.candidateUsers,
    u?.dueDate,
    u?.followUpDate,
    u?.priority,
    u?.externalReference,
    node.loop?.inputCollection,
    node.loop?.outputElement,
    node.loop?.completionCondition,
    node.calledElement?.processId,
    ...node.executionListeners.flatMap((l) => [l.type, l.retries]),
  ];
}

/** A compensation handler (isForCompensation) is reached only through its boundary event's association. */
function compensationHandlerErrors(node: FlowNode): string[] {
  if (!node.moddle?.isForCompensation) return [];
  const errors: string[] = [];
  if (node.incoming.length) errors.push('A compensation handler should have no incoming sequence flows');
  if (node.outgoing.length) errors.push('A compensation handler should have no outgoing sequence flows');
  if (node.boundaryEventIds.length) errors.push('A compensation handler should have no boundary events');
  return errors;
}

/** What validation asks of an element kind's behaviour (the runtime's table, elements/behaviors.ts). */
export interface ElementBehaviorCheck {
  validate?(node: FlowNode, model: ProcessModel): string[];
}

/**
 * Zeebe-like deployment validation: unsupported element kinds or variants, missing extensions
 * (each behaviour's validate), and FEEL syntax of every expression in the model.
 */
export function validateModel(model: ProcessModel, behaviors: ReadonlyMap<string, ElementBehaviorCheck>): ModelError[] {
  const errors: ModelError[] = [];
  const feel = (elementId: string, e: Expr | undefined) => {
    if (!e || !('feel' in e)) return;
    const err = e.feel ? feelSyntaxError(e.feel) : `Expected expression but found empty expression '${e.raw}'`;
    if (err) errors.push({ elementId, message: err });
  };
  for (const node of model.nodes.values()) {
    const behavior = behaviors.get(node.type);
    if (!behavior) {
      errors.push({
        elementId: node.id,
        message: `Element type '${node.bpmnType.replace('bpmn:', '')}' is not supported`,
      });
      continue;
    }
    for (const message of behavior.validate?.(node, model) ?? []) errors.push({ elementId: node.id, message });
    const body = node.loop && behaviors.get('MULTI_INSTANCE_BODY');
    if (node.loop && !body) errors.push({ elementId: node.id, message: 'Multi-instance activities are not supported' });
    if (body) for (const message of body.validate?.(node, model) ?? []) errors.push({ elementId: node.id, message });
    for (const message of compensationHandlerErrors(node)) errors.push({ elementId: node.id, message });
    for (const message of errorCatchScopeErrors(node, model)) errors.push({ elementId: node.id, message });
    for (const message of executionListenerErrors(node)) errors.push({ elementId: node.id, message });
    for (const e of exprsOf(node)) feel(node.id, e);
    for (const m of [...node.inputs, ...node.outputs])
      if (!m.target) errors.push({ elementId: node.id, message: 'Mapping target must not be empty' });
  }
  for (const flow of model.flows.values()) {
    if (!flow.condition) continue;
    if ('static' in flow.condition)
      errors.push({
        elementId: flow.id,
        message: `Expected expression but found static value '${flow.condition.raw}'`,
      });
    else feel(flow.id, flow.condition);
  }
  return errors;
}
