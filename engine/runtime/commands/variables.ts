import type { Runtime } from '../runtime.js';
import { notFound } from '../errors.js';

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
