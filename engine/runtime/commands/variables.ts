import type { Runtime } from '../runtime.js';
import { invalidState, notFound } from '../errors.js';
import { TaskTransitionBusy, updateTaskVariables } from '../task-listeners.js';

/**
 * Sets variables on an element instance scope (or the process instance): local → that scope only;
 * otherwise Zeebe's propagation (nearest scope defining each variable, else the root).
 */
export async function setVariables(
  rt: Runtime,
  scopeKey: string,
  variables: Record<string, unknown>,
  local: boolean,
  actor: string | null,
): Promise<void> {
  const detail = `Command 'UPDATE' rejected with code 'NOT_FOUND': Expected to update variables for element with key '${scopeKey}', but no such element was found`;
  if (!/^\d{1,19}$/.test(scopeKey)) throw notFound(detail);
  await rt.withInstance(
    { table: 'element_instance', key: scopeKey },
    actor,
    (ctx) => {
      const el = ctx.element(scopeKey);
      if (!el || !ctx.isActive(el)) throw notFound(detail);
      try {
        if (updateTaskVariables(ctx, el, variables, local)) return;
      } catch (e) {
        if (e instanceof TaskTransitionBusy)
          throw invalidState(`Command 'UPDATE' rejected with code 'INVALID_STATE': ${e.message}`);
        throw e;
      }
      if (local) ctx.setLocalDocument(scopeKey, variables);
      else ctx.propagate(scopeKey, variables);
      ctx.record(
        'VARIABLE_DOCUMENT',
        'UPDATED',
        scopeKey,
        { scopeKey, updateSemantics: local ? 'LOCAL' : 'PROPAGATE', variables },
        el,
      );
    },
    detail,
  );
}
