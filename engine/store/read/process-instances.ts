import { pgArray, type FilterField, type Sql } from '../search/fields.js';
import { and, compileField } from '../search/filter.js';
import { run, sql, type Queryable } from '../search/builder.js';
import { NotFoundError, SearchRequestError } from '../search/request-error.js';
import type { SearchDefinition } from '../search/run.js';
import { identity, iso, opt, variablesFilter } from './shared.js';
import { ELEMENT_STATES } from './element-instances.js';

const hasIncident = `EXISTS (SELECT 1 FROM engine.incident i WHERE i.process_instance_key = pi.key AND i.state = 'ACTIVE')`;

export function processInstanceItem(r: Record<string, unknown>) {
  return {
    processDefinitionId: r.bpmn_process_id as string,
    processDefinitionName: (r.pd_name as string | null) ?? (r.bpmn_process_id as string),
    processDefinitionVersion: r.version as number,
    processDefinitionVersionTag: opt(r.version_tag as string | null),
    startDate: iso(r.start_date) as string,
    endDate: iso(r.end_date),
    state: r.state as 'ACTIVE' | 'COMPLETED' | 'TERMINATED',
    hasIncident: r.has_incident as boolean,
    tenantId: r.tenant_id as string,
    processInstanceKey: r.key as string,
    processDefinitionKey: r.process_definition_key as string,
    parentProcessInstanceKey: opt(r.parent_process_instance_key as string | null),
    parentElementInstanceKey: opt(r.parent_element_instance_key as string | null),
    tags: (r.tags as string[] | null) ?? [],
  };
}

/** A filter on some related row: true when one exists whose `column` matches (elements, incidents, jobs). */
function related(table: string, alias: string, field: FilterField, extra = ''): FilterField {
  return {
    ...field,
    compile(value: unknown, path: string): Sql {
      const cond = and(compileField({ ...field, compile: undefined }, value, path));
      return {
        sql: `EXISTS (SELECT 1 FROM engine.${table} ${alias} WHERE ${alias}.process_instance_key = pi.key ${extra} AND ${cond.sql})`,
        bindings: cond.bindings,
      };
    },
  };
}

function exists(condition: string): FilterField {
  return {
    kind: 'boolean',
    column: condition,
    compile(value: unknown, path: string): Sql {
      if (typeof value !== 'boolean') throw new SearchRequestError(path, 'expected true or false');
      return { sql: value ? condition : `NOT ${condition}`, bindings: [] };
    },
  };
}

const filter: Record<string, FilterField> = {
  startDate: { kind: 'datetime', column: 'pi.start_date' },
  endDate: { kind: 'datetime', column: 'pi.end_date' },
  state: { kind: 'enum', column: 'pi.state', values: identity('ACTIVE', 'COMPLETED', 'TERMINATED') },
  hasIncident: exists(hasIncident),
  tenantId: { kind: 'string', column: 'pi.tenant_id' },
  variables: variablesFilter('pi.key'),
  processInstanceKey: { kind: 'key', column: 'pi.key' },
  parentProcessInstanceKey: { kind: 'key', column: 'pi.parent_process_instance_key' },
  parentElementInstanceKey: { kind: 'key', column: 'pi.parent_element_instance_key' },
  // No batch operations here: the property is never present.
  batchOperationId: { kind: 'string', column: 'NULL::text' },
  errorMessage: related('incident', 'i', { kind: 'string', column: 'i.error_message' }, `AND i.state = 'ACTIVE'`),
  hasRetriesLeft: exists(
    `EXISTS (SELECT 1 FROM engine.job j WHERE j.process_instance_key = pi.key AND j.state = 'FAILED' AND j.retries > 0)`,
  ),
  elementInstanceState: related('element_instance', 'e', { kind: 'enum', column: 'e.state', values: ELEMENT_STATES }),
  elementId: related('element_instance', 'e', { kind: 'string', column: 'e.element_id' }),
  hasElementInstanceIncident: exists(
    `EXISTS (SELECT 1 FROM engine.element_instance e WHERE e.process_instance_key = pi.key AND e.incident_key IS NOT NULL)`,
  ),
  incidentErrorHashCode: related(
    'incident',
    'i',
    { kind: 'int', column: 'engine.java_hash_code(i.error_message)' },
    `AND i.state = 'ACTIVE'`,
  ),
  tags: {
    kind: 'string',
    column: 'pi.tags',
    compile(value: unknown, path: string): Sql {
      if (!Array.isArray(value) || !value.every((t) => typeof t === 'string'))
        throw new SearchRequestError(path, 'expected an array of strings');
      return { sql: 'pi.tags @> ?::text[]', bindings: [pgArray(value)] };
    },
  },
  processDefinitionId: { kind: 'string', column: 'pi.bpmn_process_id' },
  processDefinitionName: { kind: 'string', column: 'pd.name' },
  processDefinitionVersion: { kind: 'int', column: 'pi.version' },
  processDefinitionVersionTag: { kind: 'string', column: 'pi.version_tag' },
  processDefinitionKey: { kind: 'key', column: 'pi.process_definition_key' },
};

export const processInstanceSearch: SearchDefinition<ReturnType<typeof processInstanceItem>> = {
  base: (k) =>
    k
      .from('engine.process_instance as pi')
      .join('engine.process_definition as pd', 'pd.key', 'pi.process_definition_key')
      .select('pi.*', 'pd.name as pd_name', k.raw(`${hasIncident} AS has_incident`)),
  key: 'pi.key',
  filter,
  allowOr: true,
  sort: {
    processInstanceKey: { kind: 'key', column: 'pi.key' },
    processDefinitionId: { kind: 'string', column: 'pi.bpmn_process_id' },
    processDefinitionName: { kind: 'string', column: 'pd.name', nullable: true },
    processDefinitionVersion: { kind: 'int', column: 'pi.version' },
    processDefinitionVersionTag: { kind: 'string', column: 'pi.version_tag', nullable: true },
    processDefinitionKey: { kind: 'key', column: 'pi.process_definition_key' },
    parentProcessInstanceKey: { kind: 'key', column: 'pi.parent_process_instance_key', nullable: true },
    parentElementInstanceKey: { kind: 'key', column: 'pi.parent_element_instance_key', nullable: true },
    startDate: { kind: 'datetime', column: 'pi.start_date' },
    endDate: { kind: 'datetime', column: 'pi.end_date', nullable: true },
    state: { kind: 'string', column: 'pi.state' },
    hasIncident: { kind: 'boolean', column: hasIncident },
    tenantId: { kind: 'string', column: 'pi.tenant_id' },
  },
  toItem: processInstanceItem,
};

export async function getProcessInstance(db: Queryable, key: string) {
  const [row] = await run(db, processInstanceSearch.base(sql).where('pi.key', key));
  if (!row) throw new NotFoundError(`Process instance with key '${key}' not found`);
  return processInstanceItem(row);
}

/** Sequence flows taken in the instance (from the record log), each flow once. */
export async function getSequenceFlows(db: Queryable, key: string) {
  await getProcessInstance(db, key);
  const rows = await run(
    db,
    sql
      .from('engine.record as r')
      .distinctOn('r.element_id')
      .where({ 'r.process_instance_key': key, 'r.intent': 'SEQUENCE_FLOW_TAKEN' })
      .orderBy([{ column: 'r.element_id' }, { column: 'r.position' }])
      .select('r.element_id', 'r.process_definition_key', 'r.bpmn_process_id', 'r.tenant_id', 'r.position'),
  );
  rows.sort((a, b) => Number(a.position) - Number(b.position));
  return {
    items: rows.map((r) => ({
      sequenceFlowId: r.element_id as string,
      processInstanceKey: key,
      processDefinitionKey: r.process_definition_key as string,
      processDefinitionId: r.bpmn_process_id as string,
      elementId: r.element_id as string,
      tenantId: r.tenant_id as string,
    })),
  };
}

/** The instance's ancestry: the root first, down to its direct parent (empty for a root instance). */
export async function getCallHierarchy(db: Queryable, key: string) {
  await getProcessInstance(db, key);
  const rows = await run(
    db,
    sql.raw(
      `WITH RECURSIVE up(key, depth) AS (
         SELECT parent_process_instance_key, 1 FROM engine.process_instance WHERE key = ? AND parent_process_instance_key IS NOT NULL
         UNION ALL
         SELECT pi.parent_process_instance_key, up.depth + 1 FROM up JOIN engine.process_instance pi ON pi.key = up.key
          WHERE pi.parent_process_instance_key IS NOT NULL AND up.depth < 100)
       SELECT pi.key, pi.process_definition_key, pi.bpmn_process_id, pd.name
         FROM up JOIN engine.process_instance pi ON pi.key = up.key JOIN engine.process_definition pd ON pd.key = pi.process_definition_key
        ORDER BY up.depth DESC`,
      [key],
    ),
  );
  return rows.map((r) => ({
    processInstanceKey: r.key as string,
    processDefinitionKey: r.process_definition_key as string,
    processDefinitionName: (r.name as string | null) ?? (r.bpmn_process_id as string),
  }));
}
