import type pg from 'pg';

/**
 * The variables a user task's update carries while its updating listeners run (user_task.pending, see
 * runtime/task-listeners.ts), by element instance: an updating listener job sees them (as Zeebe's do)
 * although they are merged into the scope only when the update ends.
 */
export async function pendingTaskVariables(
  pool: pg.Pool,
  elementInstanceKeys: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  if (!elementInstanceKeys.length) return found;
  const { rows } = await pool.query(
    `SELECT element_instance_key::text AS el, pending->'variables' AS variables
       FROM engine.user_task
      WHERE element_instance_key = ANY($1::bigint[]) AND state = 'UPDATING' AND pending ? 'variableScope'`,
    [elementInstanceKeys],
  );
  for (const r of rows) if (r.variables) found.set(r.el as string, r.variables as Record<string, unknown>);
  return found;
}
