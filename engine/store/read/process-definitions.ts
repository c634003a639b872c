import type { Queryable } from '../search/builder.js';
import { run, sql } from '../search/builder.js';
import { NotFoundError, SearchRequestError } from '../search/request-error.js';
import type { SearchDefinition } from '../search/run.js';
import { formResult, opt } from './shared.js';

const latest = `pd.version = (SELECT max(x.version) FROM engine.process_definition x
  WHERE x.bpmn_process_id = pd.bpmn_process_id AND x.tenant_id = pd.tenant_id AND NOT x.deleted)`;

/** Camunda's ProcessDefinitionResult. `hasStartForm` comes from the start event's zeebe:formDefinition (column start_form_id, migration 0004). */
export function processDefinitionItem(r: Record<string, unknown>) {
  return {
    name: opt(r.name as string | null),
    resourceName: r.resource_name as string,
    version: r.version as number,
    versionTag: opt(r.version_tag as string | null),
    processDefinitionId: r.bpmn_process_id as string,
    tenantId: r.tenant_id as string,
    processDefinitionKey: r.key as string,
    hasStartForm: r.start_form_id !== null && r.start_form_id !== undefined,
  };
}

const columns = [
  'pd.key',
  'pd.name',
  'pd.resource_name',
  'pd.version',
  'pd.version_tag',
  'pd.bpmn_process_id',
  'pd.tenant_id',
  'pd.start_form_id',
];

export const processDefinitionSearch: SearchDefinition<ReturnType<typeof processDefinitionItem>> = {
  base: (k) => k.from('engine.process_definition as pd').where('pd.deleted', false).select(columns),
  key: 'pd.key',
  filter: {
    name: { kind: 'string', column: 'pd.name' },
    isLatestVersion: { kind: 'boolean', column: 'pd.version', compile: (v, path) => booleanOf(v, path, latest) },
    resourceName: { kind: 'string', column: 'pd.resource_name', plainOnly: true },
    version: { kind: 'int', column: 'pd.version', plainOnly: true },
    versionTag: { kind: 'string', column: 'pd.version_tag', plainOnly: true },
    processDefinitionId: { kind: 'string', column: 'pd.bpmn_process_id' },
    tenantId: { kind: 'string', column: 'pd.tenant_id', plainOnly: true },
    processDefinitionKey: { kind: 'key', column: 'pd.key', plainOnly: true },
    hasStartForm: { kind: 'boolean', column: '(pd.start_form_id IS NOT NULL)' },
  },
  sort: {
    processDefinitionKey: { kind: 'key', column: 'pd.key' },
    name: { kind: 'string', column: 'pd.name', nullable: true },
    resourceName: { kind: 'string', column: 'pd.resource_name' },
    version: { kind: 'int', column: 'pd.version' },
    versionTag: { kind: 'string', column: 'pd.version_tag', nullable: true },
    processDefinitionId: { kind: 'string', column: 'pd.bpmn_process_id' },
    tenantId: { kind: 'string', column: 'pd.tenant_id' },
  },
  toItem: processDefinitionItem,
};

function booleanOf(v: unknown, path: string, condition: string) {
  if (typeof v !== 'boolean') throw new SearchRequestError(path, 'expected true or false');
  return { sql: v ? condition : `NOT (${condition})`, bindings: [] };
}

async function definitionRow(db: Queryable, key: string) {
  const [row] = await run(
    db,
    sql.from('engine.process_definition as pd').where('pd.key', key).where('pd.deleted', false).select(columns),
  );
  if (!row) throw new NotFoundError(`Process definition with key '${key}' not found`);
  return row;
}

export async function getProcessDefinition(db: Queryable, key: string) {
  return processDefinitionItem(await definitionRow(db, key));
}

/** The start event's linked form (latest version of its form id), or null when the start event has none. */
export async function getStartForm(db: Queryable, key: string) {
  const def = await definitionRow(db, key);
  if (!def.start_form_id) return null;
  const [form] = await run(
    db,
    sql
      .from('engine.form')
      .where({ form_id: def.start_form_id, tenant_id: def.tenant_id, deleted: false })
      .orderBy('version', 'desc')
      .limit(1)
      .select('key', 'form_id', 'version', 'schema', 'tenant_id'),
  );
  if (!form)
    throw new NotFoundError(`Form with id '${def.start_form_id}' linked from process definition '${key}' not found`);
  return formResult(form);
}
