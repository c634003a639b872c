import type pg from 'pg';
import type { FormRow, ProcessDefinitionRow } from './rows.js';

/** Always read from the database (deletion state matters: create-by-key, resource deletion). */
export async function processDefinitionByKey(
  db: pg.Pool | pg.PoolClient,
  key: string,
): Promise<ProcessDefinitionRow | undefined> {
  const { rows } = await db.query(`SELECT * FROM engine.process_definition WHERE key = $1`, [key]);
  if (rows[0]) definitionCache.set(cacheKey(db, key), rows[0]);
  return rows[0];
}

/**
 * A deployed definition never changes (only its `deleted` flag), so the runtime, which needs it on every
 * command of a running instance, reads it once per process.
 */
const definitionCache = new Map<string, ProcessDefinitionRow>();

export async function cachedProcessDefinition(
  db: pg.Pool | pg.PoolClient,
  key: string,
): Promise<ProcessDefinitionRow | undefined> {
  return definitionCache.get(cacheKey(db, key)) ?? processDefinitionByKey(db, key);
}

/** Keys repeat across databases (each starts the same sequence), so the cache is per database. */
function cacheKey(db: pg.Pool | pg.PoolClient, key: string): string {
  const c = db as unknown as {
    connectionParameters?: { host?: string; port?: number; database?: string };
    options?: { connectionString?: string };
  };
  if (c.connectionParameters)
    return `${c.connectionParameters.host}:${c.connectionParameters.port}/${c.connectionParameters.database}|${key}`;
  const u = new URL(c.options?.connectionString ?? 'postgres://x/');
  return `${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)}|${key}`;
}

/**
 * Latest (version = -1 or absent) or a given version of a process, not deleted. Only the key is read here
 * (whether it is deleted is current); the immutable row, XML included, comes from the per-process cache.
 */
export async function processDefinitionById(
  db: pg.Pool | pg.PoolClient,
  bpmnProcessId: string,
  version: number,
  tenantId: string,
): Promise<ProcessDefinitionRow | undefined> {
  const { rows } =
    version < 0
      ? // Named (prepared once per connection): every instance created by process id runs it, and
        // planning it cost ten times its execution.
        await db.query({
          name: 'engine_latest_definition',
          text: `SELECT key FROM engine.process_definition WHERE bpmn_process_id = $1 AND tenant_id = $2 AND NOT deleted ORDER BY version DESC LIMIT 1`,
          values: [bpmnProcessId, tenantId],
        })
      : await db.query(
          `SELECT key FROM engine.process_definition WHERE bpmn_process_id = $1 AND tenant_id = $2 AND version = $3 AND NOT deleted`,
          [bpmnProcessId, tenantId, version],
        );
  if (!rows[0]) return undefined;
  const def = await cachedProcessDefinition(db, rows[0].key as string);
  return def && { ...def, deleted: false };
}

/** The latest version ever deployed (deleted ones included: versions are never reused). */
export async function latestProcessVersion(
  db: pg.PoolClient,
  bpmnProcessId: string,
  tenantId: string,
): Promise<ProcessDefinitionRow | undefined> {
  const { rows } = await db.query(
    `SELECT * FROM engine.process_definition WHERE bpmn_process_id = $1 AND tenant_id = $2 ORDER BY version DESC LIMIT 1`,
    [bpmnProcessId, tenantId],
  );
  return rows[0];
}

export async function latestFormVersion(
  db: pg.PoolClient,
  formId: string,
  tenantId: string,
): Promise<FormRow | undefined> {
  const { rows } = await db.query(
    `SELECT * FROM engine.form WHERE form_id = $1 AND tenant_id = $2 ORDER BY version DESC LIMIT 1`,
    [formId, tenantId],
  );
  return rows[0];
}

export async function formByKey(db: pg.Pool | pg.PoolClient, key: string): Promise<FormRow | undefined> {
  const { rows } = await db.query(`SELECT * FROM engine.form WHERE key = $1`, [key]);
  return rows[0];
}

/** Deployments are serialised (versions are assigned by "latest + 1"). */
export async function lockDeployments(db: pg.PoolClient): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('engine.deployment'))`);
}

export async function countActiveInstances(db: pg.PoolClient, processDefinitionKey: string): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM engine.process_instance WHERE process_definition_key = $1 AND state = 'ACTIVE'`,
    [processDefinitionKey],
  );
  return rows[0].n;
}
