import type { FlowNode, ProcessModel } from '../../model/types.js';
import type { ElementBehavior } from '../behavior.js';
import { compensationBoundaryOf, triggerCompensation } from '../../runtime/events/compensation.js';

/** The container whose completed activities a throw compensates: its own, or the outer one of an event sub-process. */
function compensatedContainer(node: FlowNode, model: ProcessModel): string | undefined {
  const parent = node.parentId ? model.nodes.get(node.parentId) : undefined;
  return parent?.type === 'EVENT_SUB_PROCESS' ? parent.parentId : node.parentId;
}

/**
 * Compensation intermediate throw and end events: trigger the compensation of the completed
 * activities of their scope (or of `activityRef` only) and wait until every invoked handler has
 * completed (runtime/events/compensation.ts). Validation wording follows Zeebe's.
 */
export const compensationThrowEventBehavior: ElementBehavior = {
  validate(node, model) {
    const def = node.eventDefinition?.moddle;
    if (def?.waitForCompletion === false)
      return [
        node.type === 'END_EVENT'
          ? 'A compensation end event waitForCompletion attribute must be true or not present'
          : 'A compensation intermediate throwing event waitForCompletion attribute must be true or not present',
      ];
    const refId: string | undefined = def?.activityRef?.id;
    if (!refId) return [];
    const ref = model.nodes.get(refId);
    if (!ref || !compensationBoundaryOf(ref, model))
      return [`The referenced activity '${refId}' must have a compensation boundary event`];
    if (ref.parentId !== compensatedContainer(node, model))
      return [`The referenced activity '${refId}' must be in the same scope as the compensation throw event`];
    return [];
  },
  onActivate(ctx, el, node) {
    ctx.activated(el);
    const scope = el.flow_scope_key ? ctx.element(el.flow_scope_key) : undefined;
    const scopeKey = scope?.element_type === 'EVENT_SUB_PROCESS' ? scope.flow_scope_key! : el.flow_scope_key!;
    triggerCompensation(ctx, el, scopeKey, node.eventDefinition?.moddle?.activityRef?.id);
  },
};
