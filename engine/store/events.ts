import type pg from 'pg';
import type { GenericRow } from './rows.js';

/** SQL of the event side: due timers, buffered messages, signal and message subscriptions. */

export async function dueTimerKeys(db: pg.Pool, now: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT key FROM engine.timer WHERE state = 'CREATED' AND due_date <= $1 ORDER BY due_date, key LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => r.key as string);
}

export async function nextDueDate(db: pg.Pool): Promise<Date | null> {
  const { rows } = await db.query(`SELECT min(due_date) AS d FROM engine.timer WHERE state = 'CREATED'`);
  return rows[0]?.d ?? null;
}

/** Claims one due timer for this transaction; null when it fired already or another process holds it. */
export async function lockDueTimer(client: pg.PoolClient, key: string, now: Date): Promise<GenericRow | null> {
  const { rows } = await client.query(
    `SELECT * FROM engine.timer WHERE key = $1 AND state = 'CREATED' AND due_date <= $2 FOR UPDATE SKIP LOCKED`,
    [key, now],
  );
  return rows[0] ?? null;
}

export interface MessageRow {
  key: string;
  name: string;
  correlation_key: string;
  message_id: string | null;
  variables: string;
  time_to_live: string;
  deadline: Date;
  tenant_id: string;
}

/** Open subscriptions of element instances for a message, the oldest first, one per process instance. */
export async function instanceSubscriptionsFor(
  db: pg.Pool,
  name: string,
  correlationKey: string,
  tenantId: string,
): Promise<Array<{ processInstanceKey: string; bpmnProcessId: string }>> {
  const { rows } = await db.query(
    `SELECT process_instance_key, bpmn_process_id, min(key) AS k FROM engine.message_subscription
      WHERE state = 'CREATED' AND message_name = $1 AND correlation_key = $2 AND tenant_id = $3 AND element_instance_key IS NOT NULL
      GROUP BY process_instance_key, bpmn_process_id ORDER BY k`,
    [name, correlationKey, tenantId],
  );
  return rows.map((r) => ({ processInstanceKey: r.process_instance_key as string, bpmnProcessId: r.bpmn_process_id }));
}

export async function startSubscriptionsFor(db: pg.Pool, name: string, tenantId: string): Promise<GenericRow[]> {
  const { rows } = await db.query(
    `SELECT * FROM engine.message_subscription WHERE state = 'CREATED' AND element_instance_key IS NULL AND message_name = $1 AND tenant_id = $2 ORDER BY key`,
    [name, tenantId],
  );
  return rows;
}

/**
 * Buffered, unexpired messages that meet an open subscription of an instance whose process (BPMN process id) they
 * did not correlate to yet (Zeebe: a message correlates once per process), oldest message and subscription first.
 */
export async function bufferedMatches(
  db: pg.Pool,
  now: Date,
  limit: number,
): Promise<Array<{ message: MessageRow; processInstanceKey: string }>> {
  const { rows } = await db.query(
    `SELECT * FROM (
       SELECT DISTINCT ON (s.process_instance_key, m.key) m.*, s.process_instance_key AS pi, s.key AS s_key
         FROM engine.message_subscription s
         JOIN engine.message m ON m.name = s.message_name AND m.correlation_key = s.correlation_key AND m.tenant_id = s.tenant_id
        WHERE s.state = 'CREATED' AND s.element_instance_key IS NOT NULL AND m.state = 'PUBLISHED' AND m.deadline > $1
          AND NOT EXISTS (SELECT 1 FROM engine.message_correlation c JOIN engine.process_instance p ON p.key = c.process_instance_key
                           WHERE c.message_key = m.key AND p.bpmn_process_id = s.bpmn_process_id)
        ORDER BY s.process_instance_key, m.key, s.key) x
      ORDER BY key, s_key LIMIT $2`,
    [now, limit],
  );
  return rows.map(({ pi, s_key: _s, ...m }) => ({ message: m as MessageRow, processInstanceKey: pi as string }));
}

/** Buffered messages waiting for a subscription of this name and key, oldest first. */
export async function bufferedMessages(
  db: pg.Pool | pg.PoolClient,
  name: string,
  correlationKey: string,
  tenantId: string,
  now: Date,
): Promise<MessageRow[]> {
  const { rows } = await db.query(
    `SELECT * FROM engine.message WHERE state = 'PUBLISHED' AND name = $1 AND correlation_key = $2 AND tenant_id = $3 AND deadline > $4 ORDER BY key`,
    [name, correlationKey, tenantId, now],
  );
  return rows;
}

/**
 * Whether a buffered message already correlated to the process (BPMN process id) of this instance, in any
 * instance of any version (Zeebe's message cardinality). Serialised per message and process.
 */
export async function alreadyCorrelated(client: pg.PoolClient, messageKey: string, piKey: string): Promise<boolean> {
  const { rows } = await client.query(`SELECT bpmn_process_id FROM engine.process_instance WHERE key = $1`, [piKey]);
  if (!rows.length) return false;
  const bpmnProcessId = rows[0].bpmn_process_id as string;
  await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`message|${messageKey}|${bpmnProcessId}`]);
  const { rowCount } = await client.query(
    `SELECT 1 FROM engine.message_correlation c JOIN engine.process_instance p ON p.key = c.process_instance_key
      WHERE c.message_key = $1 AND p.bpmn_process_id = $2`,
    [messageKey, bpmnProcessId],
  );
  return !!rowCount;
}

/** Deletes expired buffered messages (and their correlation marks), writing MESSAGE EXPIRED records. */
export async function expireMessages(db: pg.Pool, now: Date): Promise<number> {
  const { rows } = await db.query(
    `WITH gone AS (
       DELETE FROM engine.message WHERE state = 'PUBLISHED' AND deadline <= $1 RETURNING key, name, correlation_key, message_id, time_to_live, tenant_id
     ), marks AS (
       DELETE FROM engine.message_correlation c USING gone WHERE c.message_key = gone.key
     ), recs AS (
       INSERT INTO engine.record (key, value_type, intent, tenant_id, timestamp, value)
       SELECT key, 'MESSAGE', 'EXPIRED', tenant_id, $1,
              jsonb_build_object('name', name, 'correlationKey', correlation_key, 'messageId', coalesce(message_id, ''), 'timeToLive', time_to_live)
         FROM gone RETURNING key
     )
     SELECT count(*)::int AS n FROM recs`,
    [now],
  );
  return rows[0].n;
}

/** Process instances with open signal subscriptions of active element instances for a signal. */
export async function signalInstances(db: pg.Pool, name: string, tenantId: string): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT DISTINCT s.process_instance_key FROM engine.signal_subscription s
       JOIN engine.element_instance e ON e.key = s.element_instance_key AND e.state = 'ACTIVATED'
      WHERE s.signal_name = $1 AND s.tenant_id = $2`,
    [name, tenantId],
  );
  return rows.map((r) => r.process_instance_key as string);
}

export async function signalSubscriptionsOf(client: pg.PoolClient, piKey: string, name: string): Promise<GenericRow[]> {
  const { rows } = await client.query(
    `SELECT * FROM engine.signal_subscription WHERE process_instance_key = $1 AND signal_name = $2 ORDER BY key`,
    [piKey, name],
  );
  return rows;
}

export async function signalStartSubscriptions(db: pg.Pool, name: string, tenantId: string): Promise<GenericRow[]> {
  const { rows } = await db.query(
    `SELECT * FROM engine.signal_subscription WHERE element_instance_key IS NULL AND signal_name = $1 AND tenant_id = $2 ORDER BY key`,
    [name, tenantId],
  );
  return rows;
}

/** Signal subscriptions whose element instance has left (they are never triggered; this keeps the table small). */
export async function sweepSignalSubscriptions(db: pg.Pool): Promise<void> {
  await db.query(
    `DELETE FROM engine.signal_subscription s WHERE s.element_instance_key IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM engine.element_instance e WHERE e.key = s.element_instance_key AND e.state IN ('ACTIVATING','ACTIVATED'))`,
  );
}

/**
 * Buffered messages that may start an instance at a message start event now: published after the
 * subscription opened, not yet used by that process, and (with a correlation key) no instance of the
 * process started by that key still active — the lock of an ended instance releases its key.
 */
export async function bufferedStartMatches(
  db: pg.Pool,
  now: Date,
  limit: number,
): Promise<Array<{ message: MessageRow; subscription: GenericRow }>> {
  const { rows } = await db.query(
    `SELECT m.*, s.key AS s_key, s.bpmn_process_id AS s_bpmn_process_id, s.process_definition_key AS s_process_definition_key, s.element_id AS s_element_id
       FROM engine.message m
       JOIN engine.message_subscription s ON s.state = 'CREATED' AND s.element_instance_key IS NULL AND s.message_name = m.name AND s.tenant_id = m.tenant_id
      WHERE m.state = 'PUBLISHED' AND m.deadline > $1 AND m.created_at >= s.created_at
        AND NOT EXISTS (SELECT 1 FROM engine.message_correlation c JOIN engine.process_instance p ON p.key = c.process_instance_key
                         WHERE c.message_key = m.key AND p.bpmn_process_id = s.bpmn_process_id)
        AND NOT EXISTS (SELECT 1 FROM engine.message_start_lock l JOIN engine.process_instance p ON p.key = l.process_instance_key AND p.state = 'ACTIVE'
                         WHERE m.correlation_key <> '' AND l.tenant_id = m.tenant_id AND l.bpmn_process_id = s.bpmn_process_id AND l.correlation_key = m.correlation_key)
      ORDER BY m.key LIMIT $2`,
    [now, limit],
  );
  return rows.map(({ s_key, s_bpmn_process_id, s_process_definition_key, s_element_id, ...m }) => ({
    message: m as MessageRow,
    subscription: {
      key: s_key,
      state: 'CREATED',
      element_instance_key: null,
      bpmn_process_id: s_bpmn_process_id,
      process_definition_key: s_process_definition_key,
      element_id: s_element_id,
    },
  }));
}
