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
  let key: string | undefined;
  if (version >= 0) {
    const { rows } = await db.query(
      `SELECT key FROM engine.process_definition WHERE bpmn_process_id = $1 AND tenant_id = $2 AND version = $3 AND NOT deleted`,
      [bpmnProcessId, tenantId, version],
    );
    key = rows[0]?.key as string | undefined;
  } else if (isPool(db)) {
    key = await latestLookupOf(db).get(bpmnProcessId, tenantId);
  } else {
    const { rows } = await db.query(latestDefinitionsQuery([bpmnProcessId], [tenantId]));
    key = rows[0]?.key as string | undefined;
  }
  if (!key) return undefined;
  const def = await cachedProcessDefinition(db, key);
  return def && { ...def, deleted: false };
}

/**
 * Named (prepared once per connection): every instance created by process id runs it, and planning
 * it cost ten times its execution. One row per (process id, tenant) pair that has a live version.
 */
function latestDefinitionsQuery(ids: string[], tenants: string[]): pg.QueryConfig {
  return {
    name: 'engine_latest_definitions',
    text: `SELECT p.id, p.tenant, d.key FROM unnest($1::text[], $2::text[]) AS p(id, tenant)
           CROSS JOIN LATERAL (SELECT key FROM engine.process_definition
             WHERE bpmn_process_id = p.id AND tenant_id = p.tenant AND NOT deleted ORDER BY version DESC LIMIT 1) d`,
    values: [ids, tenants],
  };
}

function isPool(db: pg.Pool | pg.PoolClient): db is pg.Pool {
  return typeof (db as pg.Pool).connect === 'function' && typeof (db as pg.PoolClient).release !== 'function';
}

const latestLookups = new WeakMap<pg.Pool, LatestDefinitionLookup>();

function latestLookupOf(pool: pg.Pool): LatestDefinitionLookup {
  let lookup = latestLookups.get(pool);
  if (!lookup) latestLookups.set(pool, (lookup = new LatestDefinitionLookup(pool)));
  return lookup;
}

/**
 * Under load every instance creation by process id asks for the latest version: the asks that arrive
 * while one query is in flight share the next query (a round trip each cost as much as the rest of
 * the creation). Each query starts after every ask it answers arrived, so a deployment committed
 * before an ask is always seen. Alone, an ask is sent at once.
 */
class LatestDefinitionLookup {
  private waiting = new Map<string, LatestAsks>();
  private inFlight = false;

  constructor(private readonly pool: pg.Pool) {}

  get(bpmnProcessId: string, tenantId: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const k = JSON.stringify([bpmnProcessId, tenantId]);
      let asks = this.waiting.get(k);
      if (!asks) this.waiting.set(k, (asks = { bpmnProcessId, tenantId, callers: [] }));
      asks.callers.push({ resolve, reject });
      if (!this.inFlight) this.send();
    });
  }

  private send(): void {
    const batch = [...this.waiting.values()];
    this.waiting = new Map();
    this.inFlight = true;
    this.pool
      .query(
        latestDefinitionsQuery(
          batch.map((a) => a.bpmnProcessId),
          batch.map((a) => a.tenantId),
        ),
      )
      .then(
        ({ rows }) => {
          for (const a of batch) {
            const key = rows.find((r) => r.id === a.bpmnProcessId && r.tenant === a.tenantId)?.key as
              string | undefined;
            for (const c of a.callers) c.resolve(key);
          }
        },
        (e) => {
          for (const a of batch) for (const c of a.callers) c.reject(e);
        },
      )
      .finally(() => {
        this.inFlight = false;
        if (this.waiting.size) this.send();
      });
  }
}

/** The creations waiting for the latest version of one process. */
interface LatestAsks {
  bpmnProcessId: string;
  tenantId: string;
  callers: Array<{ resolve(key: string | undefined): void; reject(e: unknown): void }>;
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
