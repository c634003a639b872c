import type { Knex } from 'knex';
import { run, sql, type Queryable } from '../search/builder.js';
import { isPlainObject as isObject, NotFoundError } from '../search/request-error.js';
import { runSearch, type SearchDefinition } from '../search/run.js';
import { formResult, identity, iso, opt, variablesFilter } from './shared.js';
import { variableSearch } from './variables.js';

const STATES = [
  'CREATING',
  'CREATED',
  'ASSIGNING',
  'UPDATING',
  'COMPLETING',
  'COMPLETED',
  'CANCELING',
  'CANCELED',
  'FAILED',
] as const;

export function userTaskItem(r: Record<string, unknown>) {
  return {
    name: (r.name as string | null) ?? (r.element_id as string),
    state: r.state as (typeof STATES)[number],
    assignee: opt(r.assignee as string | null),
    elementId: r.element_id as string,
    candidateGroups: (r.candidate_groups as string[] | null) ?? [],
    candidateUsers: (r.candidate_users as string[] | null) ?? [],
    processDefinitionId: r.bpmn_process_id as string,
    creationDate: iso(r.creation_date) as string,
    completionDate: iso(r.completion_date),
    followUpDate: iso(r.follow_up_date),
    dueDate: iso(r.due_date),
    tenantId: r.tenant_id as string,
    externalFormReference: opt(r.external_form_reference as string | null),
    processDefinitionVersion: r.version as number,
    customHeaders: (r.custom_headers as Record<string, string> | null) ?? {},
    priority: r.priority as number,
    userTaskKey: r.key as string,
    elementInstanceKey: r.element_instance_key as string,
    processName: opt(r.process_name as string | null),
    processDefinitionKey: r.process_definition_key as string,
    processInstanceKey: r.process_instance_key as string,
    formKey: opt(r.form_key as string | null),
  };
}

export const userTaskSearch: SearchDefinition<ReturnType<typeof userTaskItem>> = {
  base: (k) =>
    k
      .from('engine.user_task as ut')
      .join('engine.process_definition as pd', 'pd.key', 'ut.process_definition_key')
      .select('ut.*', 'pd.name as process_name'),
  countBase: (k) => k.from('engine.user_task as ut'),
  total: (k, filter) => {
    const groups = openUnassignedOfGroups(filter);
    return groups
      ? k.raw(
          `SELECT coalesce(sum(n), 0)::bigint AS n FROM engine.user_task_open_group_count WHERE groups && ?::text[]`,
          [groups],
        )
      : null;
  },
  key: 'ut.key',
  filter: {
    state: { kind: 'enum', column: 'ut.state', values: identity(...STATES) },
    assignee: { kind: 'string', column: 'ut.assignee' },
    priority: { kind: 'int', column: 'ut.priority' },
    elementId: { kind: 'string', column: 'ut.element_id', plainOnly: true },
    name: { kind: 'string', column: 'coalesce(ut.name, ut.element_id)', plainOnly: true },
    candidateGroup: { kind: 'string', column: 'ut.candidate_groups', array: true },
    candidateUser: { kind: 'string', column: 'ut.candidate_users', array: true },
    tenantId: { kind: 'string', column: 'ut.tenant_id' },
    processDefinitionId: { kind: 'string', column: 'ut.bpmn_process_id', plainOnly: true },
    creationDate: { kind: 'datetime', column: 'ut.creation_date' },
    completionDate: { kind: 'datetime', column: 'ut.completion_date' },
    followUpDate: { kind: 'datetime', column: 'ut.follow_up_date' },
    dueDate: { kind: 'datetime', column: 'ut.due_date' },
    processInstanceVariables: variablesFilter('ut.process_instance_key'),
    localVariables: variablesFilter('ut.element_instance_key'),
    userTaskKey: { kind: 'key', column: 'ut.key', plainOnly: true },
    processDefinitionKey: { kind: 'key', column: 'ut.process_definition_key', plainOnly: true },
    processInstanceKey: { kind: 'key', column: 'ut.process_instance_key', plainOnly: true },
    elementInstanceKey: { kind: 'key', column: 'ut.element_instance_key', plainOnly: true },
  },
  sort: {
    creationDate: { kind: 'datetime', column: 'ut.creation_date' },
    completionDate: { kind: 'datetime', column: 'ut.completion_date', nullable: true },
    followUpDate: { kind: 'datetime', column: 'ut.follow_up_date', nullable: true },
    dueDate: { kind: 'datetime', column: 'ut.due_date', nullable: true },
    priority: { kind: 'int', column: 'ut.priority' },
    name: { kind: 'string', column: 'coalesce(ut.name, ut.element_id)' },
  },
  toItem: userTaskItem,
};

async function taskRow(db: Queryable, key: string) {
  const [row] = await run(db, userTaskSearch.base(sql).where('ut.key', key));
  if (!row) throw new NotFoundError(`User task with key '${key}' not found`);
  return row;
}

export async function getUserTask(db: Queryable, key: string) {
  return userTaskItem(await taskRow(db, key));
}

/** The task's form (linked by zeebe:formDefinition), or null when it has none. */
export async function getUserTaskForm(db: Queryable, key: string) {
  const task = await taskRow(db, key);
  if (!task.form_key) return null;
  const [form] = await run(
    db,
    sql
      .from('engine.form')
      .where('key', task.form_key as string)
      .select('key', 'form_id', 'version', 'schema', 'tenant_id'),
  );
  if (!form) throw new NotFoundError(`Form with key '${task.form_key}' of user task '${key}' not found`);
  return formResult(form);
}

/**
 * Variables the task sees: its own scope and every enclosing scope up to the process instance;
 * an inner variable hides an outer one of the same name (Zeebe's scoping).
 */
function visibleVariables(elementInstanceKey: string, processInstanceKey: string) {
  return (k: Knex) =>
    k.from(
      k.raw(
        `(SELECT DISTINCT ON (sv.name) sv.* FROM (
            WITH RECURSIVE chain(key, depth) AS (
              SELECT ?::bigint, 0
              UNION ALL
              SELECT e.flow_scope_key, chain.depth + 1 FROM engine.element_instance e JOIN chain ON e.key = chain.key
               WHERE e.flow_scope_key IS NOT NULL AND chain.depth < 1000)
            SELECT v.*, chain.depth FROM chain JOIN engine.variable v ON v.scope_key = chain.key
            UNION ALL
            SELECT v.*, 1000000 FROM engine.variable v WHERE v.scope_key = ?::bigint
          ) sv ORDER BY sv.name, sv.depth) AS v`,
        [elementInstanceKey, processInstanceKey],
      ),
    );
}

export async function searchUserTaskVariables(db: Queryable, key: string, body: unknown, truncate: boolean) {
  const task = await taskRow(db, key);
  const def = variableSearch(
    truncate,
    visibleVariables(task.element_instance_key as string, task.process_instance_key as string),
  );
  // Camunda's user-task variable filter has `name` only.
  return runSearch(db, { ...def, filter: { name: def.filter.name } }, body);
}

/**
 * The groups of "open, unassigned tasks of my groups" — `{ state: CREATED, assignee: { $exists: false },
 * candidateGroup: g | { $eq: g } | { $in: [g…] } }` and nothing else — whose total
 * engine.user_task_open_group_count keeps (migration 0016); null for any other filter.
 */
function openUnassignedOfGroups(filter: unknown): string[] | null {
  if (!isObject(filter)) return null;
  const keys = Object.keys(filter).sort().join(',');
  if (keys !== 'assignee,candidateGroup,state') return null;
  const { state, assignee, candidateGroup } = filter;
  if (!(state === 'CREATED' || (isObject(state) && Object.keys(state).join() === '$eq' && state.$eq === 'CREATED')))
    return null;
  if (!isObject(assignee) || Object.keys(assignee).join() !== '$exists' || assignee.$exists !== false) return null;
  if (typeof candidateGroup === 'string') return [candidateGroup];
  if (!isObject(candidateGroup) || Object.keys(candidateGroup).length !== 1) return null;
  const { $eq, $in } = candidateGroup;
  if (typeof $eq === 'string') return [$eq];
  if (Array.isArray($in) && $in.length && $in.every((g) => typeof g === 'string')) return $in as string[];
  return null;
}
