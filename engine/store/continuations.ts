import type pg from 'pg';

/**
 * Instances with steps due to run (not halted by the runaway guard), with how far each has come:
 * what a starting engine, or one looking for work a stopped peer left, carries on with.
 */
export async function dueContinuations(
  pool: pg.Pool,
): Promise<Array<{ processInstanceKey: string; stepsWithoutWait: string }>> {
  const { rows } = await pool.query(
    `SELECT process_instance_key, steps_without_wait::text FROM engine.continuation WHERE incident_key IS NULL ORDER BY process_instance_key`,
  );
  return rows.map((r) => ({
    processInstanceKey: String(r.process_instance_key),
    stepsWithoutWait: String(r.steps_without_wait),
  }));
}
