import type { Knex } from 'knex';

/**
 * Continuations of long straight-through runs (engine/runtime/continuation.ts): a command runs an
 * instance for at most a budget of steps, then commits and leaves the steps still queued here; a
 * follow-up transaction (this engine process at once, any engine process after a restart) carries on
 * from them. One row per instance with pending work; deleted when every token waits again.
 *
 * The queue is not rows of its own kind: it is a short list of (step kind, element instance key)
 * pairs that only make sense together with the element instance rows they name, so it is stored as
 * JSON next to the count that guards against runaway loops.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE engine.continuation (
      process_instance_key  bigint PRIMARY KEY,
      steps                 text NOT NULL,            -- JSON: [[kind, elementInstanceKey, gatewayId?], …] in queue order
      scratch               text NOT NULL DEFAULT '{}', -- JSON: per-command state the steps need (temporary variables, chosen flows, …)
      steps_without_wait    bigint NOT NULL DEFAULT 0,  -- steps since every token last waited (runaway guard)
      incident_key          bigint,                   -- set while halted by the runaway guard: resolving it carries on
      actor                 text                      -- who caused the run (records of its steps carry it)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE IF EXISTS engine.continuation`);
}
