import type { Runtime } from '../runtime.js';
import type { InstanceContext } from '../context.js';
import type { ElementInstanceRow, JobRow } from '../../store/rows.js';
import { invalidArgument, invalidState, notFound } from '../errors.js';
import {
  activateAdHocElements,
  completionConditionFulfilled,
  unknownAdHocElements,
  unknownAdHocElementsMessage,
} from '../../elements/containers/ad-hoc-sub-process.js';

/** An element to activate, with the variables of its inner instance. */
export interface AdHocActivation {
  elementId: string;
  variables?: Record<string, unknown> | null;
}

/** What a job of kind AD_HOC_SUB_PROCESS is completed with (JobResultAdHocSubProcess, REST `result`). */
export interface AdHocJobResult {
  activateElements: AdHocActivation[];
  isCompletionConditionFulfilled: boolean;
  isCancelRemainingInstances: boolean;
}

const rejected = (code: string, reason: string) => `Command 'ACTIVATE' rejected with code '${code}': ${reason}`;

/**
 * POST /v2/element-instances/ad-hoc-activities/{key}/activation: activates elements of an active
 * ad-hoc sub-process, each in an inner instance with its variables (Zeebe's
 * AD_HOC_SUB_PROCESS_INSTRUCTION ACTIVATE). Rejections as Zeebe's: an unknown key, or one that is not
 * an ad-hoc sub-process → NOT_FOUND; not ACTIVATED → INVALID_STATE; an element twice → INVALID_ARGUMENT;
 * an element it does not have → NOT_FOUND. `cancelRemainingInstances` is carried in the record only:
 * activation cancels nothing.
 */
export async function activateAdHocActivities(
  rt: Runtime,
  adHocKey: string,
  req: { elements: AdHocActivation[]; cancelRemainingInstances?: boolean },
  actor: string | null,
): Promise<void> {
  const missing = rejected(
    'NOT_FOUND',
    `Expected to activate activities for ad-hoc sub-process but no ad-hoc sub-process instance found with key '${adHocKey}'.`,
  );
  if (!/^\d{1,19}$/.test(adHocKey)) throw notFound(missing);
  await rt.withInstance(
    { table: 'element_instance', key: adHocKey },
    actor,
    (ctx) => {
      const el = ctx.element(adHocKey);
      // Completed and terminated element instances are gone from Zeebe's state: NOT_FOUND, as for an unknown key.
      if (!el || el.element_type !== 'AD_HOC_SUB_PROCESS') throw notFound(missing);
      if (el.state !== 'ACTIVATED')
        throw invalidState(
          rejected(
            'INVALID_STATE',
            `Expected to activate activities for ad-hoc sub-process with key '${adHocKey}', but it is not active.`,
          ),
        );
      const ids = req.elements.map((e) => e.elementId);
      if (new Set(ids).size !== ids.length)
        throw invalidArgument(
          rejected(
            'INVALID_ARGUMENT',
            `Expected to activate activities for ad-hoc sub-process with key '${adHocKey}', but duplicate activities were given.`,
          ),
        );
      const node = ctx.node(el.element_id);
      const unknown = unknownAdHocElements(node, ids);
      if (unknown.length) throw notFound(rejected('NOT_FOUND', unknownAdHocElementsMessage(adHocKey, unknown)));
      ctx.record(
        'AD_HOC_SUB_PROCESS_INSTRUCTION',
        'ACTIVATED',
        ctx.nextKey(),
        instructionValue(el, req.elements, { cancelRemainingInstances: req.cancelRemainingInstances ?? false }),
        el,
      );
      activateAdHocElements(ctx, el, node, req.elements);
    },
    missing,
  );
}

/**
 * Why Zeebe refuses to complete a job of an ad-hoc sub-process with this result (checked before
 * anything is written), or null: elements it does not have (NOT_FOUND), the completion condition
 * fulfilled together with elements to activate (INVALID_ARGUMENT), an ad-hoc sub-process no longer
 * ACTIVATED (INVALID_STATE).
 */
export function adHocJobResultRejection(ctx: InstanceContext, job: JobRow, result: AdHocJobResult): Error | null {
  const el = ctx.element(job.element_instance_key);
  const command = (code: string, reason: string) => `Command 'COMPLETE' rejected with code '${code}': ${reason}`;
  if (el) {
    const unknown = unknownAdHocElements(
      ctx.node(el.element_id),
      result.activateElements.map((e) => e.elementId),
    );
    if (unknown.length) return notFound(command('NOT_FOUND', unknownAdHocElementsMessage(el.key, unknown)));
  }
  if (result.isCompletionConditionFulfilled && result.activateElements.length)
    return invalidArgument(
      command(
        'INVALID_ARGUMENT',
        `Expected to complete ad-hoc sub-process job with key '${job.key}', but the job result activates elements and fulfills the completion condition. Either activate elements or fulfill the completion condition.`,
      ),
    );
  if (!el || el.state !== 'ACTIVATED')
    return invalidState(
      command(
        'INVALID_STATE',
        `Expected to complete ad-hoc sub-process job, but the ad-hoc sub-process instance is not active (job key '${job.key}', type '${job.type}', processInstanceKey '${job.process_instance_key}')`,
      ),
    );
  return null;
}

/**
 * The job of an ad-hoc sub-process completed (after adHocJobResultRejection): its variables are
 * propagated from the ad-hoc sub-process's scope, then the result's elements are activated, or the
 * completion condition is fulfilled (cancelling the remaining inner flows, or waiting for them).
 */
export function completeAdHocSubProcessJob(
  ctx: InstanceContext,
  job: JobRow,
  variables: Record<string, unknown>,
  result: AdHocJobResult,
): void {
  const el = ctx.element(job.element_instance_key)!;
  if (Object.keys(variables).length) ctx.propagate(el.key, variables);
  const node = ctx.node(el.element_id);
  const flags = {
    cancelRemainingInstances: result.isCancelRemainingInstances,
    completionConditionFulfilled: result.isCompletionConditionFulfilled,
  };
  if (result.activateElements.length) {
    ctx.record(
      'AD_HOC_SUB_PROCESS_INSTRUCTION',
      'ACTIVATED',
      ctx.nextKey(),
      instructionValue(el, result.activateElements, flags),
      el,
    );
    activateAdHocElements(ctx, el, node, result.activateElements);
  }
  if (result.isCompletionConditionFulfilled) {
    ctx.record('AD_HOC_SUB_PROCESS_INSTRUCTION', 'COMPLETED', ctx.nextKey(), instructionValue(el, [], flags), el);
    // Remembered for the inner flows still running: when the last one ends, it completes (no new job).
    el.completion_condition_fulfilled = true;
    ctx.save('element_instance', el);
    completionConditionFulfilled(ctx, el, result.isCancelRemainingInstances);
  }
}

/** The job result as the REST body carries it (`type: adHocSubProcess`), with Zeebe's defaults. */
export function adHocJobResult(result: unknown): AdHocJobResult {
  const r = (result ?? {}) as Partial<{
    activateElements: Array<{ elementId?: string; variables?: Record<string, unknown> | null }>;
    isCompletionConditionFulfilled: boolean;
    isCancelRemainingInstances: boolean;
  }>;
  return {
    activateElements: (r.activateElements ?? []).map((e) => ({ elementId: e.elementId ?? '', variables: e.variables })),
    isCompletionConditionFulfilled: r.isCompletionConditionFulfilled ?? false,
    isCancelRemainingInstances: r.isCancelRemainingInstances ?? false,
  };
}

function instructionValue(
  el: ElementInstanceRow,
  elements: AdHocActivation[],
  flags: { cancelRemainingInstances: boolean; completionConditionFulfilled?: boolean },
): Record<string, unknown> {
  return {
    adHocSubProcessInstanceKey: el.key,
    activateElements: elements.map((e) => ({ elementId: e.elementId, variables: e.variables ?? {} })),
    cancelRemainingInstances: flags.cancelRemainingInstances,
    completionConditionFulfilled: flags.completionConditionFulfilled ?? false,
    tenantId: el.tenant_id,
  };
}
