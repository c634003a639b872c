import type { Knex } from '../../db/index.js';
import type { TestEngine } from './engine.js';

/** Shared helpers of the event scenario tests (timers, messages, signals, errors). */

/** Pins the engine clock through the official client, as a test on Camunda would. */
export async function pinClock(t: TestEngine, at: number): Promise<void> {
  await t.client.pinClock({ timestamp: at } as never);
}

/** Records of one value type (and intent) of an instance, in log order. */
export async function recordsOf(
  knex: Knex,
  processInstanceKey: string,
  valueType: string,
  intent?: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- record values are JSON, shaped per test
): Promise<Array<{ key: string; intent: string; element_id: string | null; value: any }>> {
  const q = knex('engine.record').where({ process_instance_key: processInstanceKey, value_type: valueType });
  if (intent) q.andWhere({ intent });
  return q.orderBy('position').select('key', 'intent', 'element_id', 'value');
}

export async function elementState(knex: Knex, processInstanceKey: string, elementId: string): Promise<string[]> {
  const rows = await knex('engine.element_instance')
    .where({ process_instance_key: processInstanceKey, element_id: elementId })
    .orderBy('key')
    .select('state');
  return rows.map((r) => r.state as string);
}

export async function activeJob(t: TestEngine, type: string, processInstanceKey: string) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 50,
    timeout: 60000,
    worker: 'test',
    requestTimeout: -1,
  } as never);
  const job = jobs.find((j) => j.processInstanceKey === processInstanceKey);
  if (!job) throw new Error(`no ${type} job for ${processInstanceKey}`);
  return job;
}
