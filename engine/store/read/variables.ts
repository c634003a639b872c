import { run, sql, type Queryable } from '../search/builder.js';
import { NotFoundError } from '../search/request-error.js';
import type { SearchDefinition } from '../search/run.js';

/** Values longer than this are cut in search results unless `truncateValues=false` (Camunda's default threshold). */
export const VARIABLE_SIZE_THRESHOLD = 8191;

export function variableItem(r: Record<string, unknown>, truncate = true) {
  const value = r.value as string;
  const isTruncated = truncate && value.length > VARIABLE_SIZE_THRESHOLD;
  return {
    name: r.name as string,
    tenantId: r.tenant_id as string,
    variableKey: r.key as string,
    scopeKey: r.scope_key as string,
    processInstanceKey: r.process_instance_key as string,
    value: isTruncated ? value.slice(0, VARIABLE_SIZE_THRESHOLD) : value,
    isTruncated,
  };
}

export function variableSearch(
  truncate: boolean,
  from = (k: import('knex').Knex) => k.from('engine.variable as v'),
): SearchDefinition<ReturnType<typeof variableItem>> {
  return {
    base: (k) => from(k).select('v.key', 'v.name', 'v.value', 'v.scope_key', 'v.process_instance_key', 'v.tenant_id'),
    key: 'v.key',
    filter: {
      name: { kind: 'string', column: 'v.name' },
      value: { kind: 'string', column: 'v.value' },
      tenantId: { kind: 'string', column: 'v.tenant_id', plainOnly: true },
      isTruncated: { kind: 'boolean', column: `(length(v.value) > ${VARIABLE_SIZE_THRESHOLD})` },
      variableKey: { kind: 'key', column: 'v.key' },
      scopeKey: { kind: 'key', column: 'v.scope_key' },
      processInstanceKey: { kind: 'key', column: 'v.process_instance_key' },
    },
    sort: {
      value: { kind: 'string', column: 'v.value' },
      name: { kind: 'string', column: 'v.name' },
      tenantId: { kind: 'string', column: 'v.tenant_id' },
      variableKey: { kind: 'key', column: 'v.key' },
      scopeKey: { kind: 'key', column: 'v.scope_key' },
      processInstanceKey: { kind: 'key', column: 'v.process_instance_key' },
    },
    toItem: (r) => variableItem(r, truncate),
  };
}

/** GET /variables/{key}: the full value, no truncation flag (Camunda's VariableResult). */
export async function getVariable(db: Queryable, key: string) {
  const [row] = await run(db, variableSearch(false).base(sql).where('v.key', key));
  if (!row) throw new NotFoundError(`Variable with key '${key}' not found`);
  const { isTruncated: _, ...item } = variableItem(row, false);
  return item;
}
