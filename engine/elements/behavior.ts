import type { FlowNode, ProcessModel } from '../model/types.js';
import type { ElementInstanceRow } from '../store/rows.js';
import type { InstanceContext } from '../runtime/context.js';

/**
 * One behaviour per BPMN element kind (elements/{events,gateways,tasks,containers}/<kind>.ts),
 * in the table of elements/behaviors.ts. The runtime owns the lifecycle (ACTIVATING → ACTIVATED →
 * COMPLETING → COMPLETED, TERMINATING → TERMINATED), input/output mappings, records, and the cleanup
 * of jobs, user tasks, timers, subscriptions and incidents of a terminated element. A behaviour only
 * decides what happens in between, through the InstanceContext. Behaviours are synchronous and do no
 * I/O: every read is over the rows loaded into the context, every write is buffered there and
 * flushed in the command's one transaction. Throw IncidentError (runtime/incident-error.ts) to stop
 * the step with an incident; resolving it re-runs the same step.
 */
export interface ElementBehavior {
  /** Deployment check beyond the generic ones (unsupported variants, missing extensions). Messages only. */
  validate?(node: FlowNode, model: ProcessModel): string[];

  /**
   * The element instance is ACTIVATING and its input mappings are applied. Call ctx.activated(el)
   * when it reaches ACTIVATED, then either wait (job, user task, subscription …) or ctx.complete(el).
   */
  onActivate(ctx: InstanceContext, el: ElementInstanceRow, node: FlowNode): void;

  /** The element is COMPLETING, before its output mappings (e.g. the script task sets its result here). */
  onCompleting?(ctx: InstanceContext, el: ElementInstanceRow, node: FlowNode): void;

  /**
   * The element is COMPLETED: leave it. Default: take every outgoing sequence flow (Zeebe's implicit
   * parallel split); gateways take the flows they chose on activation.
   */
  onCompleted?(ctx: InstanceContext, el: ElementInstanceRow, node: FlowNode): void;

  /** The element is TERMINATING (generic cleanup already done; active children are terminated after). */
  onTerminating?(ctx: InstanceContext, el: ElementInstanceRow, node: FlowNode): void;

  /**
   * Containers only: a child reached COMPLETED or TERMINATED. Default (ctx.defaultChildDone): a
   * TERMINATING scope finishes when no child is left; an ACTIVATED scope completes when no child is
   * active and no token waits at a join.
   */
  onChildDone?(ctx: InstanceContext, scope: ElementInstanceRow, child: ElementInstanceRow): void;

  /**
   * Containers only: a child is COMPLETING, its output mappings applied, not yet COMPLETED (the
   * multi-instance body collects the output element and evaluates the completion condition here).
   * An IncidentError leaves the child COMPLETING with the incident.
   */
  onChildCompleting?(ctx: InstanceContext, scope: ElementInstanceRow, child: ElementInstanceRow): void;
}

/** Element kind → behaviour (elements/behaviors.ts builds the engine's one table). */
export type BehaviorTable = ReadonlyMap<string, ElementBehavior>;

/** The behaviour of an element instance: its node's kind, or the multi-instance body that wraps it. */
export function behaviorOf(table: BehaviorTable, node: FlowNode, el?: ElementInstanceRow): ElementBehavior {
  const b = table.get(el?.element_type === 'MULTI_INSTANCE_BODY' ? 'MULTI_INSTANCE_BODY' : node.type);
  if (!b) throw new Error(`no behaviour for ${node.type} (${node.id})`);
  return b;
}
