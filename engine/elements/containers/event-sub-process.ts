import type { ElementBehavior } from '../behavior.js';
import { setPending, takePending } from '../../runtime/events/pending.js';

/**
 * Event sub-process: triggered by its start event's subscription on the enclosing scope
 * (runtime/events/trigger.ts); it activates that start event, handing on the event's variables.
 */
export const eventSubProcessBehavior: ElementBehavior = {
  validate(node, model) {
    const starts = node.children.map((id) => model.nodes.get(id)!).filter((n) => n.type === 'START_EVENT');
    if (starts.length !== 1) return ['Event sub-process must have exactly one start event'];
    if (starts[0].eventType === 'NONE') return ['Start event of an event sub-process must have an event definition'];
    if (node.incoming.length || node.outgoing.length)
      return ['Event sub-process must not have incoming or outgoing sequence flows'];
    return [];
  },
  onActivate(ctx, el, node) {
    ctx.activated(el);
    const vars = takePending(ctx, el.key, el.flow_scope_key, node.id);
    const start = node.children.map((id) => ctx.node(id)).find((n) => n.type === 'START_EVENT')!;
    const s = ctx.activate(start, el.key);
    setPending(ctx, s.key, vars ?? null);
  },
};
