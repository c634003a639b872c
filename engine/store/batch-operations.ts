import type pg from 'pg';

/** The SQL of batch operations (migration 0031): creation, and the background worker's chunks. */
export interface BatchOperationRow {
  key: string;
  operation_type: string;
  state: string;
  start_date: Date;
  end_date: Date | null;
  created_by: string | null;
  /** What each item does beyond the type (a migration plan, move instructions). */
  plan: Record<string, unknown> | null;
  total: number;
  completed: number;
  failed: number;
}

export interface BatchItemRow {
  batch_operation_key: string;
  item_key: string;
  process_instance_key: string;
}

/** A batch and its items in one statement; a batch without items is completed at once. */
export async function insertBatchOperation(
  db: pg.Pool | pg.PoolClient,
  b: {
    key: string;
    type: string;
    plan: Record<string, unknown>;
    now: Date;
    createdBy: string | null;
    processInstanceKeys: string[];
  },
): Promise<void> {
  const n = b.processInstanceKeys.length;
  await db.query(
    `WITH batch AS (
       INSERT INTO engine.batch_operation (key, operation_type, state, start_date, end_date, created_by, total, plan)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $9)
     )
     INSERT INTO engine.batch_operation_item (batch_operation_key, item_key, process_instance_key, state)
     SELECT $1, k, k, 'ACTIVE' FROM unnest($8::bigint[]) AS k`,
    [
      b.key,
      b.type,
      n ? 'ACTIVE' : 'COMPLETED',
      b.now,
      n ? null : b.now,
      b.createdBy,
      n,
      b.processInstanceKeys,
      JSON.stringify(b.plan),
    ],
  );
}

/**
 * The oldest active batch, locked for this transaction (another engine process skips it), with its next items.
 */
export async function lockNextChunk(
  client: pg.PoolClient,
  size: number,
): Promise<{ batch: BatchOperationRow; items: BatchItemRow[] } | null> {
  const { rows } = await client.query(
    `SELECT * FROM engine.batch_operation WHERE state = 'ACTIVE' ORDER BY key LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  if (!rows[0]) return null;
  const batch = rows[0] as BatchOperationRow;
  const { rows: items } = await client.query(
    `SELECT batch_operation_key, item_key, process_instance_key FROM engine.batch_operation_item
      WHERE batch_operation_key = $1 AND state = 'ACTIVE' ORDER BY item_key LIMIT $2`,
    [batch.key, size],
  );
  return { batch, items: items as BatchItemRow[] };
}

/** Records the outcome of a chunk's items; the batch ends when none is left active. */
export async function finishChunk(
  client: pg.PoolClient,
  batchKey: string,
  outcomes: Array<{ itemKey: string; error: string | null }>,
  now: Date,
): Promise<void> {
  const failed = outcomes.filter((o) => o.error !== null);
  await client.query(
    `UPDATE engine.batch_operation_item i
        SET state = CASE WHEN o.error IS NULL THEN 'COMPLETED' ELSE 'FAILED' END,
            processed_date = $2, error_message = o.error
       FROM unnest($3::bigint[], $4::text[]) AS o(item_key, error)
      WHERE i.batch_operation_key = $1 AND i.item_key = o.item_key`,
    [batchKey, now, outcomes.map((o) => o.itemKey), outcomes.map((o) => o.error)],
  );
  await client.query(
    `UPDATE engine.batch_operation b
        SET completed = completed + $2, failed = failed + $3,
            state = CASE WHEN EXISTS (SELECT 1 FROM engine.batch_operation_item
                                        WHERE batch_operation_key = b.key AND state = 'ACTIVE') THEN 'ACTIVE'
                         WHEN failed + $3 > 0 THEN 'PARTIALLY_COMPLETED' ELSE 'COMPLETED' END,
            end_date = CASE WHEN EXISTS (SELECT 1 FROM engine.batch_operation_item
                                           WHERE batch_operation_key = b.key AND state = 'ACTIVE') THEN NULL ELSE $4::timestamptz END
      WHERE key = $1`,
    [batchKey, outcomes.length - failed.length, failed.length, now],
  );
}
