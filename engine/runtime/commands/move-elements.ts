import type { Runtime } from '../runtime.js';
import { notFound } from '../errors.js';
import { applyModification, type ModifyInstanceRequest } from './modification.js';

/**
 * A batch modification's move (Camunda 8.8 `moveInstructions`): every active instance of the source element is
 * terminated and, for each, the target element activated — in the source's flow scope instance when the target
 * lives in the same scope, else wherever the modification finds the target's flow scope. Decided on the locked
 * instance, so what is moved is what is active at that moment.
 */
export interface MoveInstruction {
  sourceElementId: string;
  targetElementId: string;
}

export async function moveElements(
  rt: Runtime,
  piKey: string,
  moves: MoveInstruction[],
  actor: string | null,
): Promise<void> {
  const missing = `Command 'MODIFY' rejected with code 'NOT_FOUND': Expected to modify process instance but no process instance found with key '${piKey}'`;
  await rt.withInstance(
    piKey,
    actor,
    (ctx) => {
      if (ctx.pi.state !== 'ACTIVE') throw notFound(missing);
      const req: Required<Pick<ModifyInstanceRequest, 'activateInstructions' | 'terminateInstructions'>> = {
        activateInstructions: [],
        terminateInstructions: [],
      };
      for (const move of moves) {
        const target = ctx.model.nodes.get(move.targetElementId);
        for (const el of [...ctx.elements.values()]) {
          if (el.element_id !== move.sourceElementId || !ctx.isActive(el)) continue;
          // An inner instance goes with its multi-instance body (same element id).
          if (ctx.isInnerInstance(el) && ctx.element(el.flow_scope_key!)!.element_id === el.element_id) continue;
          const scope = el.flow_scope_key ? ctx.element(el.flow_scope_key) : undefined;
          const sameScope = !!scope && target?.parentId === scope.element_id;
          req.terminateInstructions.push({ elementInstanceKey: el.key });
          req.activateInstructions.push({
            elementId: move.targetElementId,
            ...(sameScope && scope?.element_type !== 'MULTI_INSTANCE_BODY'
              ? { ancestorElementInstanceKey: scope!.key }
              : {}),
          });
        }
      }
      applyModification(ctx, req);
    },
    missing,
  );
}
