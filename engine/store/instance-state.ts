import type pg from 'pg';
import { TABLES, type InstanceState, type ProcessInstanceRow, type RecordRow, type TableName } from './rows.js';
import { insertSql, keyLiteral, literal, upsertSql } from './sql.js';

const ACTIVE = `('ACTIVATING','ACTIVATED','COMPLETING','TERMINATING')`;

/** A process instance by its key, or by the key of one of its jobs, user tasks, incidents or element instances. */
export type InstanceRef = string | { table: 'job' | 'user_task' | 'incident' | 'element_instance'; key: string };

/** What a command loads of its instance, in this order; `$pi` is replaced by the instance key expression. */
const LOADS = [
  `SELECT * FROM engine.process_instance WHERE key = $pi FOR UPDATE`,
  `SELECT * FROM engine.element_instance WHERE process_instance_key = $pi AND state IN ${ACTIVE}`,
  `SELECT * FROM engine.variable WHERE process_instance_key = $pi`,
  `SELECT * FROM engine.taken_flow WHERE process_instance_key = $pi`,
  // Open jobs are locked too: activation and the sweeper (SKIP LOCKED) must not change a job row the
  // command is about to write back.
  `SELECT * FROM engine.job WHERE process_instance_key = $pi AND state IN ('ACTIVATABLE','ACTIVATED','FAILED','ERROR_THROWN') FOR UPDATE`,
  `SELECT * FROM engine.user_task WHERE process_instance_key = $pi AND state IN ('CREATING','CREATED','ASSIGNING','UPDATING','COMPLETING','CANCELING')`,
  `SELECT * FROM engine.incident WHERE process_instance_key = $pi AND state = 'ACTIVE'`,
  `SELECT * FROM engine.timer WHERE process_instance_key = $pi AND state = 'CREATED'`,
  `SELECT * FROM engine.message_subscription WHERE process_instance_key = $pi AND state = 'CREATED'`,
  `SELECT * FROM engine.multi_instance_body WHERE process_instance_key = $pi`,
  // Steps left over from a straight-through run split across transactions (runtime/continuation.ts).
  `SELECT * FROM engine.continuation WHERE process_instance_key = $pi`,
];

/** How long a batch waits for any one lock before its commands fall back to one transaction each. */
const BATCH_LOCK_TIMEOUT_MS = 200;

/** Statement names already prepared on each pooled connection. */
const prepared = new WeakMap<pg.PoolClient, Set<string>>();

/**
 * The loads as server-side prepared statements, one set per way of addressing the instance: every
 * command runs them, and planning ten statements each time cost more than executing them.
 * Prepared on first use per connection, in their own round trip (a prepared statement outlives
 * rollbacks, so it is never half there).
 */
async function loadStatements(
  client: pg.PoolClient,
  by: 'pi' | Exclude<InstanceRef, string>['table'],
): Promise<string[]> {
  let done = prepared.get(client);
  if (!done) prepared.set(client, (done = new Set()));
  const pi = by === 'pi' ? '$1' : `(SELECT process_instance_key FROM engine.${by} WHERE key = $1)`;
  const names = LOADS.map((_, i) => `engine_load_${by}_${i}`);
  for (let i = 0; i < LOADS.length; i++) {
    if (done.has(names[i])) continue;
    await client.query(`PREPARE ${names[i]} (bigint) AS ${LOADS[i].replaceAll('$pi', pi)}`);
    done.add(names[i]);
  }
  return names;
}

/**
 * Locks the process instance row (commands on one instance are serialised) and loads what a command
 * on it needs, in one round trip. Returns null when the instance does not exist.
 */
export async function lockAndLoadInstance(client: pg.PoolClient, ref: InstanceRef): Promise<InstanceState | null> {
  // Commands addressed by a job / task / incident key find their instance in the same round trip.
  const [by, key] = typeof ref === 'string' ? (['pi', ref] as const) : ([ref.table, ref.key] as const);
  const k = keyLiteral(key);
  const names = await loadStatements(client, by);
  // Each statement takes its snapshot after the one before it: the loads see everything committed
  // before the instance lock was granted. Generic plans: the loads are index probes by instance key,
  // and PostgreSQL otherwise re-planned each of them on every execution.
  const results = (await client.query(
    ['BEGIN', 'SET LOCAL plan_cache_mode = force_generic_plan', ...names.map((n) => `EXECUTE ${n}(${k})`)].join(';\n'),
  )) as unknown as pg.QueryResult[];
  return stateOf(results.slice(2));
}

/** The state of an instance with no rows besides its own (a new one, or before its rows are sorted in). */
export function emptyInstanceState(pi: ProcessInstanceRow, forms: Map<string, string>): InstanceState {
  return {
    pi,
    elements: [],
    variables: [],
    takenFlows: [],
    jobs: [],
    userTasks: [],
    incidents: [],
    timers: [],
    subscriptions: [],
    multiInstanceBodies: [],
    continuations: [],
    forms,
  };
}

/** lockAndLoadInstance for several instances (a batch of commands: runtime/batch.ts); null where none. */
export async function lockAndLoadInstances(
  client: pg.PoolClient,
  refs: InstanceRef[],
): Promise<Array<InstanceState | null>> {
  return refs.length === 1 ? [await lockAndLoadInstance(client, refs[0])] : lockAndLoadSet(client, refs);
}

/**
 * The loads for a set of instances: one round trip locks every instance row (in key order), a
 * second reads each table once for all of them — ten statements for the batch instead of ten per
 * command, whose per-statement cost (on both sides of the socket) was most of a batched load.
 */
async function lockAndLoadSet(client: pg.PoolClient, refs: InstanceRef[]): Promise<Array<InstanceState | null>> {
  const byTable = new Map<string, string[]>();
  for (const ref of refs) {
    const [by, key] = typeof ref === 'string' ? ['pi', ref] : [ref.table, ref.key];
    byTable.set(by, [...(byTable.get(by) ?? []), keyLiteral(key)]);
  }
  const keys = (list: string[]) => `ARRAY[${list.join(',')}]::bigint[]`;
  const locks = [...byTable].map(([by, list]) =>
    by === 'pi'
      ? `SELECT pi.key AS ref_key, pi.* FROM engine.process_instance pi WHERE pi.key = ANY(${keys(list)}) ORDER BY pi.key FOR UPDATE`
      : `SELECT r.key AS ref_key, pi.* FROM engine.${by} r JOIN engine.process_instance pi ON pi.key = r.process_instance_key
         WHERE r.key = ANY(${keys(list)}) ORDER BY pi.key FOR UPDATE OF pi`,
  );
  // A batch that meets a lock held long (a slow command on one of its instances) gives up fast: its
  // commands then run one by one, and only the one behind the lock waits (runtime/batch.ts).
  const locked = (await client.query(
    ['BEGIN', `SET LOCAL lock_timeout = '${BATCH_LOCK_TIMEOUT_MS}ms'`, ...locks].join(';\n'),
  )) as unknown as pg.QueryResult[];
  const piOf = new Map<string, ProcessInstanceRow>();
  const instances = new Map<string, ProcessInstanceRow>();
  [...byTable.keys()].forEach((by, i) => {
    for (const { ref_key: ref, ...pi } of locked[2 + i].rows) {
      const row = instances.get(pi.key) ?? (pi as ProcessInstanceRow);
      instances.set(row.key, row);
      piOf.set(`${by}:${ref}`, row);
    }
  });
  const states = new Map<string, InstanceState>();
  if (instances.size) {
    const all = keys([...instances.keys()]);
    const results = (await client.query(
      LOADS.slice(1)
        .map((l) => l.replace('= $pi', `= ANY(${all})`))
        .join(';\n'),
    )) as unknown as pg.QueryResult[];
    for (const pi of instances.values()) states.set(pi.key, emptyInstanceState(pi, new Map()));
    const fields = [
      'elements',
      'variables',
      'takenFlows',
      'jobs',
      'userTasks',
      'incidents',
      'timers',
      'subscriptions',
      'multiInstanceBodies',
      'continuations',
    ] as const;
    results.forEach((r, i) => {
      for (const row of r.rows) (states.get(String(row.process_instance_key))![fields[i]] as unknown[]).push(row);
    });
  }
  return refs.map((ref) => {
    const [by, key] = typeof ref === 'string' ? ['pi', ref] : [ref.table, ref.key];
    const pi = piOf.get(`${by}:${key}`);
    return pi ? states.get(pi.key)! : null;
  });
}

function stateOf(results: pg.QueryResult[]): InstanceState | null {
  const [
    pi,
    elements,
    variables,
    takenFlows,
    jobs,
    userTasks,
    incidents,
    timers,
    subscriptions,
    multiInstanceBodies,
    continuations,
  ] = results.map((r) => r.rows);
  if (!pi.length) return null;
  return {
    pi: pi[0] as ProcessInstanceRow,
    elements,
    variables,
    takenFlows,
    jobs,
    userTasks,
    incidents,
    timers,
    subscriptions,
    multiInstanceBodies,
    continuations,
    forms: new Map(),
  } as InstanceState;
}

/** Latest form key per form id (user tasks bind the latest deployed form). */
export async function latestForms(
  client: pg.PoolClient,
  formIds: string[],
  tenantId: string,
): Promise<Map<string, string>> {
  if (!formIds.length) return new Map();
  const { rows } = await client.query(
    `SELECT DISTINCT ON (form_id) form_id, key FROM engine.form WHERE form_id = ANY($1) AND tenant_id = $2 AND NOT deleted ORDER BY form_id, version DESC`,
    [formIds, tenantId],
  );
  return new Map(rows.map((r) => [r.form_id as string, r.key as string]));
}

/**
 * SQL text of everything the given contexts changed (one command, its parent/child instances, or a batch of
 * commands): deletes, then one upsert per table and column set, then one insert of all records —
 * PostgreSQL plans a statement per table instead of one per table and instance.
 */
/** What a command changed in one instance (an InstanceContext): rows to write or delete per table, records. */
export interface InstanceChanges {
  dirty: ReadonlyMap<TableName, ReadonlyMap<string, Record<string, unknown>>>;
  deleted: ReadonlyMap<TableName, ReadonlyMap<string, Record<string, unknown>>>;
  records: readonly RecordRow[];
}

export function flushSql(ctxs: InstanceChanges[]): string {
  const parts: string[] = [];
  for (const ctx of ctxs)
    for (const [table, rows] of ctx.deleted) {
      for (const row of rows.values()) {
        const pk = TABLES[table];
        parts.push(`DELETE FROM engine.${table} WHERE ${pk.map((c) => `${c}=${literal(row[c])}`).join(' AND ')}`);
      }
    }
  // Order matters only for readability; there are no foreign keys.
  for (const table of Object.keys(TABLES) as TableName[]) {
    const byColumns = new Map<string, Record<string, unknown>[]>();
    for (const ctx of ctxs)
      for (const row of ctx.dirty.get(table)?.values() ?? []) {
        const columns = Object.keys(row).join(',');
        const rows = byColumns.get(columns);
        if (rows) rows.push(row);
        else byColumns.set(columns, [row]);
      }
    for (const rows of byColumns.values()) parts.push(upsertSql(table, TABLES[table], rows));
  }
  const records = ctxs.flatMap((c) => c.records);
  if (records.length) parts.push(recordsSql(records));
  return parts.join(';\n');
}

export function recordsSql(records: RecordRow[]): string {
  return insertSql('record', records as unknown as Record<string, unknown>[]);
}
