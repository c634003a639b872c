import type pg from 'pg';

/** One authorization row (Camunda 8.8's AuthorizationResult, in the engine's columns). */
export interface AuthorizationRow {
  key: string;
  ownerType: string;
  ownerId: string;
  resourceType: string;
  resourceId: string;
  permissionTypes: string[];
}

/**
 * The grants that reach a principal: those owned by the user, by any of its roles (its own and those of its
 * groups) and by any of its groups. Groups come from engine.group_member; roles from the caller (cis.user_roles).
 */
export async function grantsOf(
  pool: pg.Pool,
  username: string,
  roles: string[],
): Promise<Array<{ resource_type: string; resource_id: string; permission_types: string[] }>> {
  const { rows } = await pool.query(
    `WITH groups AS (
       SELECT group_id FROM engine.group_member WHERE member_type = 'USER' AND member_id = $1
     ), all_roles AS (
       SELECT unnest($2::text[]) AS role_id
       UNION SELECT role_id FROM engine.role_member WHERE member_type = 'GROUP' AND member_id IN (SELECT group_id FROM groups)
     )
     SELECT resource_type, resource_id, permission_types FROM engine.authorizations
      WHERE (owner_type = 'USER' AND owner_id = $1)
         OR (owner_type = 'ROLE' AND owner_id IN (SELECT role_id FROM all_roles))
         OR (owner_type = 'GROUP' AND owner_id IN (SELECT group_id FROM groups))`,
    [username, roles],
  );
  return rows;
}

/** The bpmnProcessId a key-addressed command acts on (job, user task, process instance, incident, definition). */
export async function processIdOf(
  pool: pg.Pool,
  table: 'job' | 'user_task' | 'process_instance' | 'incident' | 'process_definition' | 'element_instance',
  key: string,
): Promise<string | null> {
  if (!/^\d{1,19}$/.test(key)) return null;
  const { rows } = await pool.query(`SELECT bpmn_process_id FROM engine.${table} WHERE key = $1::bigint`, [key]);
  return (rows[0]?.bpmn_process_id as string | undefined) ?? null;
}

/** Who may act on a user task as Tasklist decides it: its process, assignee and candidates. */
export async function userTaskAccess(
  pool: pg.Pool,
  key: string,
): Promise<{ processId: string; assignee: string | null; candidateUsers: string[]; candidateGroups: string[] } | null> {
  if (!/^\d{1,19}$/.test(key)) return null;
  const { rows } = await pool.query(
    `SELECT bpmn_process_id, assignee, candidate_users, candidate_groups FROM engine.user_task WHERE key = $1::bigint`,
    [key],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    processId: r.bpmn_process_id,
    assignee: r.assignee ?? null,
    candidateUsers: r.candidate_users ?? [],
    candidateGroups: r.candidate_groups ?? [],
  };
}
