import type { ElementBehavior } from '../behavior.js';
import { catchDefinitionErrors } from './definitions.js';
import { takePending } from '../../runtime/events/pending.js';

/**
 * Message, timer, signal and error start events. Of the process: the trigger already chose this
 * start event (runtime/events/starts.ts) and put its variables on the instance. Of an event
 * sub-process: the trigger's variables arrive here and propagate like a catch event's.
 */
export const eventStartEventBehavior: ElementBehavior = {
  validate(node, model) {
    const inEsp = model.nodes.get(node.parentId ?? '')?.type === 'EVENT_SUB_PROCESS';
    if (node.eventType === 'ERROR' || node.eventType === 'ESCALATION')
      return inEsp
        ? []
        : [
            `${node.eventType === 'ERROR' ? 'Error' : 'Escalation'} start events are only supported in event sub-processes`,
          ];
    if (!['MESSAGE', 'TIMER', 'SIGNAL'].includes(node.eventType))
      return [`Start event with ${node.eventType.toLowerCase()} event definition is not supported`];
    if (!inEsp && node.parentId !== model.root.id)
      return ['Start events with an event definition are only supported in processes and event sub-processes'];
    return catchDefinitionErrors(node, inEsp);
  },
  onActivate(ctx, el, node) {
    const vars = takePending(ctx, el.key, el.flow_scope_key, node.id);
    ctx.activated(el);
    if (vars) ctx.temporaryVariables.set(el.key, vars);
    ctx.complete(el);
  },
};
