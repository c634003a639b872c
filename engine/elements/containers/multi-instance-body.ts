import type { ElementBehavior } from '../behavior.js';
import type { FlowNode } from '../../model/types.js';
import type { ElementInstanceRow, MultiInstanceBodyRow } from '../../store/rows.js';
import type { InstanceContext } from '../../runtime/context.js';
import { IncidentError } from '../../runtime/incident-error.js';
import { evaluateCondition, evaluateList } from '../../feel/index.js';

/**
 * The multi-instance body (BPMN element type MULTI_INSTANCE_BODY): the element instance an activity
 * with multiInstanceLoopCharacteristics is entered through. It carries the boundary events and the
 * output collection; its children are the inner instances (the activity itself, one per item, with
 * local variables loopCounter, the input element and the output element).
 *
 * Zeebe's rules (Camunda 8.8 docs, "Multi-instance"): the input collection is evaluated once on
 * activation and must be a list (else an incident); empty → the body completes at once and the output
 * collection is []; parallel creates every inner instance at once, sequential one after the other;
 * after each inner instance completes, its output element goes into the output collection at
 * loopCounter - 1 (null where nothing was set) and the completion condition is evaluated with
 * numberOfInstances / numberOfActiveInstances / numberOfCompletedInstances /
 * numberOfTerminatedInstances (not variables; they shadow variables of those names); when true, the
 * other inner instances are terminated and the body completes. On completion the output collection is
 * propagated to the body's flow scope; when the body is terminated it is not.
 */
export const multiInstanceBodyBehavior: ElementBehavior = {
  validate(node) {
    const loop = node.loop!;
    const errors: string[] = [];
    if (!loop.inputCollection?.raw.trim())
      errors.push("Expected attribute 'inputCollection' of 'zeebe:loopCharacteristics' to be present");
    else if (!('feel' in loop.inputCollection))
      errors.push(`Expected expression but found static value '${loop.inputCollection.raw}'`);
    if (loop.outputCollection && !loop.outputElement)
      errors.push(
        "Expected attribute 'outputElement' of 'zeebe:loopCharacteristics' to be present when 'outputCollection' is set",
      );
    if (loop.outputElement && !loop.outputCollection)
      errors.push(
        "Expected attribute 'outputCollection' of 'zeebe:loopCharacteristics' to be present when 'outputElement' is set",
      );
    if (loop.completionCondition && !('feel' in loop.completionCondition))
      errors.push(`Expected expression but found static value '${loop.completionCondition.raw}'`);
    return errors;
  },

  onActivate(ctx, body, node) {
    const loop = node.loop!;
    const r = evaluateList(loop.inputCollection!.raw, ctx.visibleVariables(body.key), { now: ctx.now });
    if (!r.ok) throw new IncidentError('EXTRACT_VALUE_ERROR', r.message);
    const items = r.value;
    const row: MultiInstanceBodyRow = {
      key: body.key,
      process_instance_key: ctx.pi.key,
      input_collection: JSON.stringify(items),
      completed: 0,
      terminated: 0,
    };
    ctx.multiInstanceBodies.set(body.key, row);
    ctx.save('multi_instance_body', row);
    ctx.activated(body);
    if (loop.outputCollection)
      ctx.setLocal(
        body.key,
        loop.outputCollection,
        items.map(() => null),
        body,
      );
    if (!items.length) {
      ctx.complete(body);
      return;
    }
    if (loop.sequential) createInner(ctx, body, node, items, 1);
    else items.forEach((_, i) => createInner(ctx, body, node, items, i + 1));
  },

  onChildCompleting(ctx, body, child) {
    const node = ctx.node(body.element_id);
    const loop = node.loop!;
    const row = bodyRow(ctx, body);
    if (loop.outputCollection) {
      const value = loop.outputElement ? ctx.evaluate(loop.outputElement, child.key).value : null;
      const current = ctx.localVariables(body.key)[loop.outputCollection];
      if (!Array.isArray(current))
        throw new IncidentError(
          'EXTRACT_VALUE_ERROR',
          `Unable to update an item in output collection '${loop.outputCollection}' because the type of the output collection is: ${typeOf(current)}`,
        );
      const next = [...current];
      next[(child.loop_counter ?? 1) - 1] = value;
      ctx.setLocal(body.key, loop.outputCollection, next, body);
    }
    if (!loop.completionCondition) return;
    const counters = {
      numberOfInstances: (JSON.parse(row.input_collection) as unknown[]).length,
      numberOfActiveInstances: ctx.activeChildren(body.key).filter((c) => c.key !== child.key).length,
      numberOfCompletedInstances: row.completed + 1,
      numberOfTerminatedInstances: row.terminated,
    };
    const r = evaluateCondition(
      loop.completionCondition.raw,
      { ...ctx.visibleVariables(child.key), ...counters },
      { now: ctx.now },
    );
    if (!r.ok) throw new IncidentError('EXTRACT_VALUE_ERROR', r.message);
    if (r.value) ctx.completionConditionMet.add(body.key);
  },

  onChildDone(ctx, body, child) {
    if (body.state !== 'ACTIVATED') return ctx.defaultChildDone(body);
    const row = bodyRow(ctx, body);
    if (child.state === 'COMPLETED') row.completed += 1;
    else row.terminated += 1;
    ctx.save('multi_instance_body', row);
    const active = ctx.activeChildren(body.key);
    if (ctx.completionConditionMet.has(body.key)) {
      // The completion condition cut the loop short: end the others, then complete.
      for (const other of active) ctx.terminate(other);
      if (!active.length) ctx.complete(body);
      return;
    }
    const node = ctx.node(body.element_id);
    const items = JSON.parse(row.input_collection) as unknown[];
    const next = (child.loop_counter ?? 0) + 1;
    if (node.loop!.sequential && child.state === 'COMPLETED' && next <= items.length) {
      createInner(ctx, body, node, items, next);
      return;
    }
    if (!active.length) ctx.complete(body);
  },

  onCompleting(ctx, body, node) {
    const name = node.loop!.outputCollection;
    if (name) ctx.propagate(body.flow_scope_key ?? ctx.pi.key, { [name]: ctx.localVariables(body.key)[name] ?? [] });
    dropRow(ctx, body);
  },

  onTerminating(ctx, body) {
    dropRow(ctx, body);
  },
};

/** An inner instance: the activity itself in the body's scope, with its loop variables. */
function createInner(
  ctx: InstanceContext,
  body: ElementInstanceRow,
  node: FlowNode,
  items: unknown[],
  loopCounter: number,
): void {
  const loop = node.loop!;
  const inner = ctx.activate(node, body.key);
  inner.loop_counter = loopCounter;
  if (loop.inputElement) ctx.setLocal(inner.key, loop.inputElement, items[loopCounter - 1] ?? null, inner);
  ctx.setLocal(inner.key, 'loopCounter', loopCounter, inner);
  // An output element that only reads a variable (or a path into one) makes that variable local, so
  // each instance collects its own value (a job's result lands there instead of in a shared scope).
  const outVar =
    loop.outputElement && 'feel' in loop.outputElement
      ? /^([A-Za-z_$][\w$]*)(\.[A-Za-z_$][\w$]*)*$/.exec(loop.outputElement.feel)?.[1]
      : undefined;
  if (outVar && outVar !== loop.inputElement && outVar !== 'loopCounter') ctx.setLocal(inner.key, outVar, null, inner);
}

/** True for an inner instance of a multi-instance body (it leaves through its body, not its flows). */
export function isMultiInstanceInner(ctx: InstanceContext, el: ElementInstanceRow): boolean {
  return !!el.flow_scope_key && ctx.element(el.flow_scope_key)?.element_type === 'MULTI_INSTANCE_BODY';
}

function bodyRow(ctx: InstanceContext, body: ElementInstanceRow): MultiInstanceBodyRow {
  const row = ctx.multiInstanceBodies.get(body.key);
  if (!row) throw new Error(`multi-instance state of ${body.key} missing`);
  return row;
}

function dropRow(ctx: InstanceContext, body: ElementInstanceRow): void {
  const row = ctx.multiInstanceBodies.get(body.key);
  if (!row) return;
  ctx.multiInstanceBodies.delete(body.key);
  ctx.remove('multi_instance_body', row);
}

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'NIL';
  if (Array.isArray(v)) return 'ARRAY';
  if (typeof v === 'object') return 'MAP';
  return typeof v === 'string' ? 'STRING' : typeof v === 'number' ? 'NUMBER' : 'BOOLEAN';
}
