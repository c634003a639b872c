import { createEngine, type Engine, type EngineOptions } from '../../engine/index.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually, instanceState, rootVariables } from '../support/records.js';

// Straight-through runs are split across transactions (engine/runtime/continuation.ts): a model that
// loops without a wait state no longer holds its request and the engine forever, other instances go on
// meanwhile, and past the runaway guard's number of steps the loop stops with an incident.

/** createEngine with the runtime's tuning (guard, steps per transaction). */
function engineWith(tuning: Pick<EngineOptions, 'maxStepsWithoutWait' | 'stepsPerTransaction'>) {
  return (o: EngineOptions): Engine => createEngine({ ...o, ...tuning });
}

async function continuationOf(t: TestEngine, pi: string) {
  return t.db.knex('engine.continuation').where({ process_instance_key: pi }).first();
}

/** Completions of an element in an instance's record log. */
async function completions(t: TestEngine, pi: string, elementId: string): Promise<number> {
  const [{ count }] = await t.db
    .knex('engine.record')
    .where({ process_instance_key: pi, element_id: elementId, intent: 'ELEMENT_COMPLETED' })
    .count<{ count: string }[]>('* as count');
  return Number(count);
}

async function activeIncidents(t: TestEngine, pi: string) {
  const r = await t.client.searchIncidents(
    { filter: { processInstanceKey: pi as never, state: 'ACTIVE' } } as never,
    { consistency: { waitUpToMs: 0 } } as never,
  );
  return r.items ?? [];
}

async function create(t: TestEngine, id: string, variables: Record<string, unknown> = {}): Promise<string> {
  const r = await t.client.createProcessInstance({ processDefinitionId: id as never, variables });
  return r.processInstanceKey;
}

describe('without a runaway guard', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine({ createEngine: engineWith({ maxStepsWithoutWait: Infinity }) });
    await t.deploy('manual-cycle.bpmn', 'runaway-loop.bpmn', 'service-task.bpmn');
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('a loop of two manual tasks does not hold up the engine: other instances complete, the topology answers, the loop can be cancelled', async () => {
    // The creation is answered although the loop never ends.
    const loop = await create(t, 'manual-cycle');

    const other = await create(t, 'service-task', { amount: 3 });
    const { jobs } = await t.client.activateJobs({
      type: 'charge',
      maxJobsToActivate: 1,
      timeout: 60000,
      worker: 'fair',
      requestTimeout: 5000,
    } as never);
    expect(jobs.map((j) => j.processInstanceKey)).toEqual([other]);
    await t.client.completeJob({ jobKey: jobs[0].jobKey, variables: { charged: true } });
    expect(await instanceState(t.db.knex, other)).toBe('COMPLETED');
    const topology = await t.client.getTopology();
    expect(topology.brokers?.length).toBeGreaterThan(0);

    // Meanwhile the loop went on, in transactions of its own, and still has work left.
    expect(await instanceState(t.db.knex, loop)).toBe('ACTIVE');
    expect(await continuationOf(t, loop)).toMatchObject({ incident_key: null });
    const before = await completions(t, loop, 'ping');
    await eventually(async () => (await completions(t, loop, 'ping')) > before);
    // The other instance's records lie between the loop's: they interleaved.
    const positions = await t.db.knex.raw(
      `SELECT (SELECT max(position) FROM engine.record WHERE process_instance_key = ?) AS other_last,
              (SELECT min(position) FROM engine.record WHERE process_instance_key = ?) AS loop_first,
              (SELECT max(position) FROM engine.record WHERE process_instance_key = ?) AS loop_last`,
      [other, loop, loop],
    );
    const p = positions.rows[0];
    expect(BigInt(p.other_last)).toBeGreaterThan(BigInt(p.loop_first));
    expect(BigInt(p.other_last)).toBeLessThan(BigInt(p.loop_last));

    await t.client.cancelProcessInstance({ processInstanceKey: loop as never });
    expect(await instanceState(t.db.knex, loop)).toBe('TERMINATED');
    expect(await continuationOf(t, loop)).toBeUndefined();
    const open = await t.db
      .knex('engine.element_instance')
      .where({ process_instance_key: loop })
      .whereIn('state', ['ACTIVATING', 'ACTIVATED', 'COMPLETING', 'TERMINATING']);
    expect(open).toHaveLength(0);
  });

  test('a long straight-through run (5,000 steps) completes across transactions, each round exactly once', async () => {
    const r = await t.client.createProcessInstance({
      processDefinitionId: 'runaway-loop' as never,
      variables: { n: 0, until: 1250 },
      awaitCompletion: true,
      requestTimeout: 30000,
    } as never);
    expect(r.variables).toMatchObject({ n: 1250, until: 1250 });
    const pi = r.processInstanceKey;
    expect(await instanceState(t.db.knex, pi)).toBe('COMPLETED');
    expect(await completions(t, pi, 'count')).toBe(1250);
    expect(await completions(t, pi, 'again')).toBe(1250);
    expect(await completions(t, pi, 'end')).toBe(1);
    expect(await continuationOf(t, pi)).toBeUndefined();
    // Written by several transactions: the run was split (1,000 steps each).
    const { rows } = await t.db.knex.raw(
      `SELECT count(DISTINCT xmin::text) AS n FROM engine.element_instance WHERE process_instance_key = ?`,
      [pi],
    );
    expect(Number(rows[0].n)).toBeGreaterThanOrEqual(5);
  });
});

describe('with a runaway guard of 4,000 steps', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine({ createEngine: engineWith({ maxStepsWithoutWait: 4000 }) });
    await t.deploy('manual-cycle.bpmn', 'runaway-loop.bpmn');
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('a loop stops with an incident where it was; resolving it lets it go on with a fresh count, and it completes', async () => {
    const pi = await create(t, 'runaway-loop', { n: 0, until: 1500 }); // 6,000 steps
    const incident = await eventually(async () => (await activeIncidents(t, pi))[0]);
    expect(incident).toMatchObject({ errorType: 'UNKNOWN', state: 'ACTIVE', processInstanceKey: pi });
    expect(incident.errorMessage).toContain('took 4000 steps without reaching a wait state');
    expect(await instanceState(t.db.knex, pi)).toBe('ACTIVE');
    // Halted: the steps wait in the continuation for the incident.
    expect(await continuationOf(t, pi)).toMatchObject({ incident_key: incident.incidentKey });
    // 4,000 steps: three to reach the loop (process, start event activation and completion), then four per
    // round. Round 1,000's script ran (step 4,000); its completion is the step that was held, on `count`.
    expect(incident.elementId).toBe('count');
    expect((await rootVariables(t.db.knex, pi)).n).toBe(999);
    expect(await completions(t, pi, 'count')).toBe(999);
    const element = await t.client.getElementInstance(
      { elementInstanceKey: incident.elementInstanceKey! } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    expect(element).toMatchObject({ hasIncident: true, incidentKey: incident.incidentKey });

    // The script's result was held with the step (the continuation's scratch): no round is lost or repeated.
    await t.client.resolveIncident({ incidentKey: incident.incidentKey! });
    await eventually(async () => (await instanceState(t.db.knex, pi)) === 'COMPLETED');
    expect(await rootVariables(t.db.knex, pi)).toEqual({ n: 1500, until: 1500 });
    expect(await completions(t, pi, 'count')).toBe(1500);
    expect(await activeIncidents(t, pi)).toHaveLength(0);
    expect(await continuationOf(t, pi)).toBeUndefined();
  });

  test('a loop without a way out stops again after each resolution; cancelling it ends it', async () => {
    const pi = await create(t, 'manual-cycle');
    const first = await eventually(async () => (await activeIncidents(t, pi))[0]);
    expect(['ping', 'pong']).toContain(first.elementId);
    const pings = await completions(t, pi, 'ping');

    await t.client.resolveIncident({ incidentKey: first.incidentKey! });
    const second = await eventually(async () => (await activeIncidents(t, pi))[0]);
    expect(second.incidentKey).not.toBe(first.incidentKey);
    expect(second.errorType).toBe('UNKNOWN');
    // Another 4,000 steps: each round of the cycle is four (two activations, two completions).
    expect(await completions(t, pi, 'ping')).toBe(pings + 1000);

    await t.client.cancelProcessInstance({ processInstanceKey: pi as never });
    expect(await instanceState(t.db.knex, pi)).toBe('TERMINATED');
    expect(await activeIncidents(t, pi)).toHaveLength(0);
    expect(await continuationOf(t, pi)).toBeUndefined();
  });
});

describe('a restart in the middle of a run', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  test('an engine that stops leaves the rest of the run in the database; the next one carries it on', async () => {
    // 10 steps per transaction: the 4,000 steps of the run take four hundred.
    const createEngine = engineWith({ stepsPerTransaction: 10 });
    const first = await startTestEngine({ database: db, createEngine });
    await first.deploy('runaway-loop.bpmn');
    const pi = await create(first, 'runaway-loop', { n: 0, until: 1000 });
    await first.stop();

    const left = await continuationOf(first, pi);
    expect(left).toMatchObject({ incident_key: null });
    expect(await instanceState(db.knex, pi)).toBe('ACTIVE');
    const before = (await rootVariables(db.knex, pi)).n as number;
    expect(before).toBeLessThan(1000);

    const second = await startTestEngine({ database: db, createEngine });
    try {
      // Four hundred transactions: generous on a loaded machine (a liveness bound, not a benchmark).
      await eventually(async () => (await instanceState(db.knex, pi)) === 'COMPLETED', 55_000);
      expect(await rootVariables(db.knex, pi)).toEqual({ n: 1000, until: 1000 });
      expect(await completions(second, pi, 'count')).toBe(1000);
      expect(await completions(second, pi, 'end')).toBe(1);
      expect(await continuationOf(second, pi)).toBeUndefined();
    } finally {
      await second.stop();
    }
  });
});
