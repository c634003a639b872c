import type { Knex } from '../../db/index.js';

/** The element ids of a process instance's record log for one intent, in log order. */
export async function elementsWith(knex: Knex, processInstanceKey: string, intent: string): Promise<string[]> {
  const rows = await knex('engine.record')
    .where({ process_instance_key: processInstanceKey, intent })
    .orderBy('position')
    .select('element_id');
  return rows.map((r) => r.element_id as string);
}

export async function instanceState(knex: Knex, processInstanceKey: string): Promise<string | undefined> {
  const row = await knex('engine.process_instance').where({ key: processInstanceKey }).first('state');
  return row?.state;
}

export async function rootVariables(knex: Knex, processInstanceKey: string): Promise<Record<string, unknown>> {
  const rows = await knex('engine.variable').where({ scope_key: processInstanceKey }).select('name', 'value');
  return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
}

/** Polls until fn returns a truthy value (instances finish asynchronously with workers). */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 15000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
