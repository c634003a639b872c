import type { ElementBehavior } from '../behavior.js';
import type { FlowNode, ProcessModel } from '../../model/types.js';
import type { ElementInstanceRow } from '../../store/rows.js';
import type { InstanceContext } from '../../runtime/context.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { cancelJob, OPEN_JOB_STATES } from '../../runtime/rows/job-changes.js';
import { evaluateCondition, evaluateList } from '../../feel/index.js';
import { AD_HOC_ELEMENTS_VARIABLE, adHocSubProcessElements } from './ad-hoc-elements.js';

/**
 * The ad-hoc sub-process (Camunda 8.8, "Ad-hoc sub-processes"). On activation it gets the local
 * variables `adHocSubProcessElements` (its activatable elements: children without incoming flows) and,
 * with zeebe:adHoc outputCollection, that collection as []. Then one of two implementations:
 *
 * - BPMN (default): `activeElementsCollection` (a list of element ids, evaluated after the input
 *   mappings) names the elements to activate; none → it stays active, waiting for the activation API.
 *   Each time an inner flow completes, the completion condition is evaluated in its scope: true →
 *   completion (cancelRemainingInstances, default true: terminate the other inner flows first; false:
 *   wait for them); no condition → it completes when no inner flow is left.
 * - Job worker (zeebe:taskDefinition): a job of kind AD_HOC_SUB_PROCESS; its completion result names
 *   the elements to activate or fulfils the completion condition (commands/ad-hoc-activities.ts). Each
 *   time an inner flow completes, the open job is cancelled and a new one created (one job at a time),
 *   unless the completion condition was fulfilled.
 *
 * Every activated element runs in an inner instance of its own (AD_HOC_SUB_PROCESS_INNER_INSTANCE,
 * element id `<id>#innerInstance`), which holds the activation's variables; when the inner flow ends,
 * zeebe:adHoc outputElement is evaluated there and appended to the output collection, which is
 * propagated to the flow scope when the ad-hoc sub-process completes.
 */
export const adHocSubProcessBehavior: ElementBehavior = {
  validate: adHocSubProcessErrors,

  onActivate(ctx, el, node) {
    const def = node.adHoc!;
    ctx.setLocal(el.key, AD_HOC_ELEMENTS_VARIABLE, adHocSubProcessElements(ctx.model, node), el);
    if (def.outputCollection) ctx.setLocal(el.key, def.outputCollection, [], el);
    if (node.taskDefinition) {
      // The job's type and retries are evaluated before ACTIVATED: a failure leaves it ACTIVATING with the incident.
      createAdHocJob(ctx, el, node);
      ctx.activated(el);
      return;
    }
    const ids = activeElements(ctx, el, node);
    ctx.activated(el);
    activateAdHocElements(
      ctx,
      el,
      node,
      ids.map((elementId) => ({ elementId })),
    );
  },

  onChildDone(ctx, el, child) {
    if (el.state !== 'ACTIVATED') return ctx.defaultChildDone(el);
    const node = ctx.node(el.element_id);
    const active = ctx.activeChildren(el.key).length > 0;
    // An inner flow terminated while active: only the completion condition does that; complete once none is left.
    if (child.state === 'TERMINATED') {
      if (!active) ctx.complete(el);
      return;
    }
    if (node.taskDefinition) {
      cancelOpenJobs(ctx, el);
      if (el.completion_condition_fulfilled) {
        if (!active) ctx.complete(el);
        return;
      }
      try {
        createAdHocJob(ctx, el, node);
      } catch (e) {
        if (!(e instanceof IncidentError)) throw e;
        ctx.raiseIncident(el, e.errorType, e.message);
      }
      return;
    }
    if (!node.adHoc!.completionCondition) {
      if (!active) ctx.complete(el);
      return;
    }
    if (ctx.completionConditionMet.delete(child.key))
      completionConditionFulfilled(ctx, el, node.adHoc!.cancelRemainingInstances);
  },

  onCompleting(ctx, el, node) {
    cancelOpenJobs(ctx, el);
    const name = node.adHoc!.outputCollection;
    if (name) ctx.propagate(el.flow_scope_key ?? ctx.pi.key, { [name]: ctx.localVariables(el.key)[name] ?? [] });
  },
};

/**
 * AD_HOC_SUB_PROCESS_INNER_INSTANCE: the scope one activated element (and whatever its flows reach)
 * runs in. It completes when nothing inside is active, and leaves through its ad-hoc sub-process.
 */
export const adHocInnerInstanceBehavior: ElementBehavior = {
  // activateAdHocElements makes it ACTIVATED at once; this runs only if its queued activation still finds it ACTIVATING.
  onActivate(ctx, el) {
    ctx.activated(el);
  },

  // Before the inner flow counts as done: collect its output, evaluate the completion condition (BPMN
  // implementation). Both are written together, so resolving an incident here does not append twice.
  onCompleting(ctx, inner) {
    const adHoc = ctx.element(inner.flow_scope_key!)!;
    const node = ctx.node(adHoc.element_id);
    const def = node.adHoc!;
    const local: Record<string, unknown> = {};
    if (def.outputCollection && def.outputElement) {
      const value = ctx.evaluate(def.outputElement, inner.key).value ?? null;
      const current = ctx.localVariables(adHoc.key)[def.outputCollection];
      if (!Array.isArray(current))
        throw new IncidentError(
          'EXTRACT_VALUE_ERROR',
          `The output collection has the wrong type. Expected ARRAY but was ${typeOf(current)}.`,
        );
      local[def.outputCollection] = [...current, value];
    }
    let met = false;
    if (def.completionCondition && !node.taskDefinition) {
      const r = evaluateCondition(
        def.completionCondition.raw,
        { ...ctx.visibleVariables(adHoc.key), ...local },
        { now: ctx.now },
      );
      if (!r.ok)
        throw new IncidentError('EXTRACT_VALUE_ERROR', `Failed to evaluate completion condition. ${r.message}`);
      met = r.value;
    }
    for (const [name, value] of Object.entries(local)) ctx.setLocal(adHoc.key, name, value, adHoc);
    if (met) ctx.completionConditionMet.add(inner.key);
  },

  onCompleted() {
    // No sequence flows: the ad-hoc sub-process decides what follows (onChildDone).
  },
};

/**
 * Activates elements of the ad-hoc sub-process, each in a new inner instance holding the activation's
 * variables as its locals (activeElementsCollection, a job result, the API). As in Zeebe's log, the
 * inner instances are created (ACTIVATING, ACTIVATED) before the elements in them are activated.
 */
export function activateAdHocElements(
  ctx: InstanceContext,
  adHoc: ElementInstanceRow,
  node: FlowNode,
  activations: Array<{ elementId: string; variables?: Record<string, unknown> | null }>,
): void {
  const def = node.adHoc!;
  // An outputElement that reads one variable makes it local to each inner instance, so each collects its own value.
  const outVar =
    def.outputElement && 'feel' in def.outputElement
      ? /^[A-Za-z_$][\w$]*$/.exec(def.outputElement.feel)?.[0]
      : undefined;
  const inners = activations.map(({ variables }) => {
    const inner = ctx.activate(ctx.node(def.innerInstanceId), adHoc.key);
    ctx.activated(inner);
    if (outVar) ctx.setLocal(inner.key, outVar, null, inner);
    for (const [name, value] of Object.entries(variables ?? {})) ctx.setLocal(inner.key, name, value, inner);
    return inner;
  });
  activations.forEach(({ elementId }, i) => ctx.activate(ctx.node(elementId), inners[i].key));
}

/** The ids of `elementIds` that are not activatable elements of the ad-hoc sub-process. */
export function unknownAdHocElements(node: FlowNode, elementIds: string[]): string[] {
  const known = new Set(node.adHoc!.activityIds);
  return elementIds.filter((id) => !known.has(id));
}

/** Zeebe's rejection (and incident) text for element ids the ad-hoc sub-process does not have. */
export function unknownAdHocElementsMessage(adHocKey: string, unknown: string[]): string {
  return `Expected to activate activities for ad-hoc sub-process with key '${adHocKey}', but the given elements [${unknown.join(', ')}] do not exist.`;
}

/**
 * The completion condition is fulfilled: with cancelRemainingInstances, terminate the inner flows
 * still active (it completes when the last one is terminated) or complete now; without, complete
 * only when none is left (else the next inner flow to end decides again).
 */
export function completionConditionFulfilled(
  ctx: InstanceContext,
  adHoc: ElementInstanceRow,
  cancelRemainingInstances: boolean,
): void {
  const active = ctx.activeChildren(adHoc.key);
  if (cancelRemainingInstances) {
    if (active.length) for (const child of active) ctx.terminate(child);
    else ctx.complete(adHoc);
  } else if (!active.length) ctx.complete(adHoc);
}

/** The job of a job-worker ad-hoc sub-process (kind AD_HOC_SUB_PROCESS; out of retries → AD_HOC_SUB_PROCESS_NO_RETRIES). */
function createAdHocJob(ctx: InstanceContext, el: ElementInstanceRow, node: FlowNode): void {
  ctx.createJobOf(el, node.taskDefinition!, node.taskHeaders, 'AD_HOC_SUB_PROCESS');
}

/** There is one job of the ad-hoc sub-process at a time: an open one is cancelled before the next. */
function cancelOpenJobs(ctx: InstanceContext, el: ElementInstanceRow): void {
  for (const job of ctx.jobs.values())
    if (job.element_instance_key === el.key && job.kind === 'AD_HOC_SUB_PROCESS' && OPEN_JOB_STATES.has(job.state))
      cancelJob(ctx, job, el);
}

/** activeElementsCollection, evaluated in the ad-hoc sub-process's scope: ids of its activatable elements. */
function activeElements(ctx: InstanceContext, el: ElementInstanceRow, node: FlowNode): string[] {
  const e = node.adHoc!.activeElementsCollection;
  if (!e || !('feel' in e)) return [];
  const r = evaluateList(e.raw, ctx.visibleVariables(el.key), { now: ctx.now });
  if (!r.ok) throw new IncidentError('EXTRACT_VALUE_ERROR', `Failed to activate ad-hoc elements. ${r.message}`);
  if (r.value.some((id) => typeof id !== 'string'))
    throw new IncidentError(
      'EXTRACT_VALUE_ERROR',
      `Failed to activate ad-hoc elements. Expected result of the expression '${e.feel}' to be 'ARRAY' containing 'STRING' items, but was 'ARRAY' containing at least one non-'STRING' item.`,
    );
  const ids = r.value as string[];
  const unknown = unknownAdHocElements(node, ids);
  if (unknown.length) throw new IncidentError('EXTRACT_VALUE_ERROR', unknownAdHocElementsMessage(el.key, unknown));
  return ids;
}

/** Zeebe's deployment checks of an ad-hoc sub-process (its AdHocSubProcessValidator). */
function adHocSubProcessErrors(node: FlowNode, model: ProcessModel): string[] {
  const def = node.adHoc!;
  const children = node.children.map((id) => model.nodes.get(id)!);
  const errors: string[] = [];
  if (!children.length) errors.push('Must have at least one activity.');
  if (children.some((c) => c.type === 'START_EVENT')) errors.push('Must not contain a start event.');
  if (children.some((c) => c.type === 'END_EVENT')) errors.push('Must not contain an end event.');
  if (!def.outputCollection !== !def.outputElement?.raw)
    errors.push(
      `OutputElement and OutputCollection must both be set, or neither of them set. outputElement:${def.outputElement?.raw ?? 'null'} and outputCollection:${def.outputCollection ?? 'null'}.`,
    );
  for (const e of [def.activeElementsCollection, def.outputElement, def.completionCondition])
    if (e && e.raw.trim() && !('feel' in e)) errors.push(`Expected expression but found static value '${e.raw}'`);
  if (node.taskDefinition) {
    if (!def.cancelRemainingInstances)
      errors.push('Must not define cancelRemainingInstances in combination with zeebe:taskDefinition.');
    if (def.completionCondition)
      errors.push('Must not define completionCondition in combination with zeebe:taskDefinition.');
    if (def.activeElementsCollection?.raw)
      errors.push('Must not define activeElementsCollection in combination with zeebe:taskDefinition.');
  }
  return errors;
}

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'NIL';
  if (Array.isArray(v)) return 'ARRAY';
  if (typeof v === 'object') return 'MAP';
  return typeof v === 'string' ? 'STRING' : typeof v === 'number' ? 'INTEGER' : 'BOOLEAN';
}
