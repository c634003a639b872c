import type { Queryable } from '../search/builder.js';
import type { SearchDefinition } from '../search/run.js';
import { run, sql } from '../search/builder.js';
import { NotFoundError } from '../search/request-error.js';
import { identity, iso, opt } from './shared.js';

const TYPES = [
  'CANCEL_PROCESS_INSTANCE',
  'RESOLVE_INCIDENT',
  'MIGRATE_PROCESS_INSTANCE',
  'MODIFY_PROCESS_INSTANCE',
  'DELETE_PROCESS_INSTANCE',
  'ADD_VARIABLE',
  'UPDATE_VARIABLE',
  'DELETE_DECISION_DEFINITION',
  'DELETE_PROCESS_DEFINITION',
] as const;
const STATES = ['ACTIVE', 'CANCELED', 'COMPLETED', 'CREATED', 'FAILED', 'PARTIALLY_COMPLETED', 'SUSPENDED'] as const;
const ITEM_STATES = ['ACTIVE', 'COMPLETED', 'SKIPPED', 'CANCELED', 'FAILED'] as const;

export function batchOperationItem(r: Record<string, unknown>) {
  return {
    batchOperationKey: String(r.key),
    state: r.state as (typeof STATES)[number],
    batchOperationType: r.operation_type as (typeof TYPES)[number],
    startDate: iso(r.start_date),
    endDate: opt(iso(r.end_date)),
    operationsTotalCount: Number(r.total),
    operationsFailedCount: Number(r.failed),
    operationsCompletedCount: Number(r.completed),
    errors: [] as never[],
  };
}

export const batchOperationSearch: SearchDefinition<ReturnType<typeof batchOperationItem>> = {
  base: (k) => k.from('engine.batch_operation as bo').select('bo.*'),
  key: 'bo.key',
  filter: {
    batchOperationKey: { kind: 'key', column: 'bo.key' },
    operationType: { kind: 'enum', column: 'bo.operation_type', values: identity(...TYPES) },
    state: { kind: 'enum', column: 'bo.state', values: identity(...STATES) },
  },
  sort: {
    batchOperationKey: { kind: 'key', column: 'bo.key' },
    operationType: { kind: 'string', column: 'bo.operation_type' },
    state: { kind: 'string', column: 'bo.state' },
    startDate: { kind: 'datetime', column: 'bo.start_date' },
    endDate: { kind: 'datetime', column: 'bo.end_date', nullable: true },
  },
  toItem: batchOperationItem,
};

export async function getBatchOperation(db: Queryable, key: string) {
  const [row] = await run(db, batchOperationSearch.base(sql).where('bo.key', key));
  if (!row) throw new NotFoundError(`Batch operation with key '${key}' not found`);
  return batchOperationItem(row);
}

export function batchOperationItemItem(r: Record<string, unknown>) {
  return {
    operationType: r.operation_type as (typeof TYPES)[number],
    batchOperationKey: String(r.batch_operation_key),
    itemKey: String(r.item_key),
    processInstanceKey: String(r.process_instance_key),
    state: r.state as (typeof ITEM_STATES)[number],
    processedDate: opt(iso(r.processed_date)),
    errorMessage: opt(r.error_message as string | null),
  };
}

export const batchOperationItemSearch: SearchDefinition<ReturnType<typeof batchOperationItemItem>> = {
  base: (k) =>
    k
      .from('engine.batch_operation_item as bi')
      .join('engine.batch_operation as bo', 'bo.key', 'bi.batch_operation_key')
      .select('bi.*', 'bo.operation_type'),
  key: 'bi.id',
  filter: {
    batchOperationKey: { kind: 'key', column: 'bi.batch_operation_key' },
    itemKey: { kind: 'key', column: 'bi.item_key' },
    processInstanceKey: { kind: 'key', column: 'bi.process_instance_key' },
    state: { kind: 'enum', column: 'bi.state', values: identity(...ITEM_STATES) },
    operationType: { kind: 'enum', column: 'bo.operation_type', values: identity(...TYPES) },
  },
  sort: {
    batchOperationKey: { kind: 'key', column: 'bi.batch_operation_key' },
    itemKey: { kind: 'key', column: 'bi.item_key' },
    processInstanceKey: { kind: 'key', column: 'bi.process_instance_key' },
    state: { kind: 'string', column: 'bi.state' },
  },
  toItem: batchOperationItemItem,
};
