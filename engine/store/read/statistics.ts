import { run, sql, type Queryable } from '../search/builder.js';
import { and, compileFilter } from '../search/filter.js';
import { isPlainObject, SearchRequestError } from '../search/request-error.js';
import type { Sql } from '../search/fields.js';
import { ELEMENT_STATES } from './element-instances.js';
import { getProcessDefinition } from './process-definitions.js';
import { getProcessInstance, processInstanceSearch } from './process-instances.js';

const inList = (states: readonly string[]) => states.map((s) => `'${s}'`).join(',');

/** Per element: how many of its instances are active, completed, terminated, and hold an incident (the diagram overlay). */
async function elementStatistics(db: Queryable, instances: Sql) {
  const rows = await run(
    db,
    sql.raw(
      `SELECT ei.element_id,
              count(*) FILTER (WHERE ei.state IN (${inList(ELEMENT_STATES.ACTIVE)}) AND ei.incident_key IS NULL) AS active,
              count(*) FILTER (WHERE ei.state = 'TERMINATED') AS canceled,
              count(*) FILTER (WHERE ei.state IN (${inList(ELEMENT_STATES.ACTIVE)}) AND ei.incident_key IS NOT NULL) AS incidents,
              count(*) FILTER (WHERE ei.state = 'COMPLETED') AS completed
         FROM engine.element_instance ei
        WHERE ei.element_type <> 'PROCESS' AND ei.process_instance_key IN (${instances.sql})
        GROUP BY ei.element_id ORDER BY ei.element_id`,
      instances.bindings as never[],
    ),
  );
  return {
    items: rows.map((r) => ({
      elementId: r.element_id as string,
      active: Number(r.active),
      canceled: Number(r.canceled),
      incidents: Number(r.incidents),
      completed: Number(r.completed),
    })),
  };
}

/** POST /process-definitions/{key}/statistics/element-instances: over the definition's instances matching the filter. */
export async function processDefinitionStatistics(db: Queryable, key: string, body: unknown) {
  await getProcessDefinition(db, key);
  if (body !== undefined && body !== null && !isPlainObject(body))
    throw new SearchRequestError('body', 'expected a JSON object');
  const request = (body ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(request))
    if (k !== 'filter') throw new SearchRequestError(k, 'unknown property; use filter');
  const where = and([
    { sql: 'pi.process_definition_key = ?', bindings: [key] },
    ...compileFilter(processInstanceSearch.filter, request.filter, 'filter', true),
  ]);
  const native = processInstanceSearch
    .base(sql)
    .clearSelect()
    .select('pi.key')
    .whereRaw(where.sql, where.bindings as never[])
    .toSQL();
  return elementStatistics(db, { sql: native.sql, bindings: [...native.bindings] });
}

/** GET /process-instances/{key}/statistics/element-instances. */
export async function processInstanceStatistics(db: Queryable, key: string) {
  await getProcessInstance(db, key);
  return elementStatistics(db, { sql: '?::bigint', bindings: [key] });
}
