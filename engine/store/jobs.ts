import type pg from 'pg';
import { literal } from './sql.js';
import type { JobRow } from './rows.js';

/** An activated job with the variables visible to its element instance (inner scopes shadow outer ones). */
export type ActivatedJobRow = JobRow & { variables: Record<string, unknown> };

/**
 * Activates up to `max` activatable jobs of a type for a worker (SKIP LOCKED: concurrent pollers and
 * engine processes never get the same job), writes their JOB ACTIVATED records and reads their
 * variables (all, or only `names`): one statement, so one atomic round trip.
 *
 * The scope chain and its variables are read through LATERAL … OFFSET 0, one index probe per scope:
 * as plain joins the planner, expecting many scopes, hashed the whole element-instance and variable
 * tables, which grow with every instance ever run.
 */
const ACTIVATE = `WITH RECURSIVE c AS (
       SELECT key FROM engine.job
       WHERE type = $1 AND state = 'ACTIVATABLE' AND ($5::text[] IS NULL OR tenant_id = ANY($5))
       ORDER BY key LIMIT $2 FOR UPDATE SKIP LOCKED
     ), upd AS (
       UPDATE engine.job j SET state = 'ACTIVATED', worker = $3, deadline = $4, updated_at = $6
       FROM c WHERE j.key = c.key
       RETURNING j.*
     ), rec AS (
       INSERT INTO engine.record (key, value_type, intent, process_instance_key, element_instance_key, element_id,
         process_definition_key, bpmn_process_id, version, tenant_id, actor, timestamp, value)
       SELECT key, 'JOB', 'ACTIVATED', process_instance_key, element_instance_key, element_id, process_definition_key,
         bpmn_process_id, version, tenant_id, $3, $6,
         jsonb_build_object('type', type, 'worker', $3::text, 'retries', retries, 'deadline', $7::bigint)
       FROM upd ORDER BY key
     ), chain AS (
       SELECT u.element_instance_key AS origin, e.key AS scope, e.flow_scope_key AS parent, 0 AS depth
       FROM upd u, LATERAL (SELECT key, flow_scope_key FROM engine.element_instance WHERE key = u.element_instance_key OFFSET 0) e
       UNION ALL
       SELECT ch.origin, p.key, p.flow_scope_key, ch.depth + 1
       FROM chain ch, LATERAL (SELECT key, flow_scope_key FROM engine.element_instance WHERE key = ch.parent OFFSET 0) p
     ), vars AS (
       SELECT ch.origin, json_agg(json_build_array(v.name, v.value) ORDER BY ch.depth DESC)::text AS variables
       FROM chain ch, LATERAL (
         SELECT name, value FROM engine.variable
         WHERE scope_key = ch.scope AND ($8::text[] IS NULL OR name = ANY($8)) OFFSET 0
       ) v
       GROUP BY ch.origin
     )
     SELECT upd.*, vars.variables AS variables_json FROM upd LEFT JOIN vars ON vars.origin = upd.element_instance_key ORDER BY upd.key`;

/** Connections on which ACTIVATE is prepared. */
const prepared = new WeakSet<pg.PoolClient>();

export async function activateJobs(
  pool: pg.Pool,
  opts: {
    type: string;
    worker: string;
    max: number;
    timeoutMs: number;
    tenantIds: string[] | null;
    now: Date;
    names: string[] | null;
  },
): Promise<ActivatedJobRow[]> {
  const deadline = new Date(opts.now.getTime() + opts.timeoutMs);
  const client = await pool.connect();
  let rows: Record<string, unknown>[];
  try {
    if (!prepared.has(client)) {
      await client.query(
        `PREPARE engine_activate_jobs (text, int, text, timestamptz, text[], timestamptz, bigint, text[]) AS ${ACTIVATE}`,
      );
      prepared.add(client);
    }
    const args = [opts.type, opts.max, opts.worker, deadline, opts.tenantIds, opts.now, deadline.getTime(), opts.names];
    // Bitmap scans off: a plain index scan of job_activatable marks the entries of jobs activated
    // and finished earlier as dead, so the next poll skips them; a bitmap scan would visit every one
    // of them again on each poll until vacuum runs.
    const results = (await client.query(
      `BEGIN; SET LOCAL enable_bitmapscan = off; SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE engine_activate_jobs(${args.map(literal).join(', ')}); COMMIT`,
    )) as unknown as pg.QueryResult[];
    rows = results[3].rows;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  return rows.map(({ variables_json, ...job }) => {
    const variables: Record<string, unknown> = {};
    // [name, JSON text] pairs, outer scopes first: inner values overwrite.
    for (const [name, value] of JSON.parse((variables_json as string | null) ?? '[]') as Array<[string, string]>)
      variables[name] = JSON.parse(value);
    return { ...(job as unknown as JobRow), variables };
  });
}

/** Timed-out jobs and jobs whose retry back-off ended become ACTIVATABLE; returns their types. */
export async function sweepJobs(pool: pg.Pool, now: Date): Promise<string[]> {
  const { rows } = await pool.query(
    `WITH due AS (
       SELECT key, state AS old_state FROM engine.job
       WHERE (state = 'ACTIVATED' AND deadline <= $1) OR (state = 'FAILED' AND retries > 0 AND retry_backoff_until <= $1)
       ORDER BY key LIMIT 1000 FOR UPDATE SKIP LOCKED
     ), upd AS (
       UPDATE engine.job j SET state = 'ACTIVATABLE', deadline = NULL, retry_backoff_until = NULL, updated_at = $1,
         worker = CASE WHEN due.old_state = 'ACTIVATED' THEN NULL ELSE j.worker END
       FROM due WHERE j.key = due.key
       RETURNING j.*, due.old_state
     ), rec AS (
       INSERT INTO engine.record (key, value_type, intent, process_instance_key, element_instance_key, element_id,
         process_definition_key, bpmn_process_id, version, tenant_id, actor, timestamp, value)
       SELECT key, 'JOB', CASE WHEN old_state = 'ACTIVATED' THEN 'TIMED_OUT' ELSE 'RECURRED_AFTER_BACKOFF' END,
         process_instance_key, element_instance_key, element_id, process_definition_key, bpmn_process_id, version,
         tenant_id, NULL, $1, jsonb_build_object('type', type, 'retries', retries)
       FROM upd
     )
     SELECT DISTINCT type FROM upd`,
    [now],
  );
  return rows.map((r) => r.type as string);
}

export async function jobByKey(db: pg.Pool | pg.PoolClient, key: string): Promise<JobRow | undefined> {
  const { rows } = await db.query(`SELECT * FROM engine.job WHERE key = $1`, [key]);
  return rows[0];
}
