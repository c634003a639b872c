import pg from 'pg';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState, rootVariables } from '../support/records.js';

// Commands that arrive while another is in flight share one transaction (engine/runtime/batch.ts).
// These scenarios send many at once through the official client and check that every command still
// gets its own answer and its own effect — including the cases a batch must not merge.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('service-task.bpmn', 'parallel-gateway.bpmn', 'mi-call.bpmn', 'call-child.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

async function activate(type: string, expected: number) {
  const jobs = [];
  while (jobs.length < expected) {
    const r = await t.client.activateJobs({
      type,
      maxJobsToActivate: expected - jobs.length,
      timeout: 60000,
      worker: 'group-commit',
      requestTimeout: 2000,
    } as never);
    if (!r.jobs.length) throw new Error(`expected ${expected} ${type} jobs, got ${jobs.length}`);
    jobs.push(...r.jobs);
  }
  return jobs;
}

const statusOf = (r: PromiseSettledResult<unknown>) =>
  r.status === 'fulfilled' ? 'ok' : (r.reason as { status?: number }).status;

/** Distinct writing transactions of a set of rows: fewer than rows means commands shared one. */
async function transactions(table: string, where: string, keys: string[]): Promise<number> {
  const { rows } = await t.db.knex.raw(`SELECT count(DISTINCT xmin::text) AS n FROM ${table} WHERE ${where}`, [keys]);
  return Number(rows[0].n);
}

test('forty creations and forty completions at once: each answered on its own, written once, in shared transactions', async () => {
  const created = await Promise.all(
    Array.from({ length: 40 }, (_, n) =>
      t.client.createProcessInstance({ processDefinitionId: 'service-task' as never, variables: { n } }),
    ),
  );
  const keys = created.map((c) => c.processInstanceKey);
  expect(new Set(keys).size).toBe(40);
  for (const [n, key] of keys.entries()) expect(await rootVariables(t.db.knex, key)).toEqual({ n });
  expect(await transactions('engine.process_instance', `key = ANY(?::bigint[])`, keys)).toBeLessThan(40);

  const jobs = await activate('charge', 40);
  const first = jobs[0];
  const results = await Promise.allSettled([
    ...jobs.map((j) => t.client.completeJob({ jobKey: j.jobKey, variables: { done: j.variables.n } })),
    // A second completion of the same job, and a job that does not exist, in the same burst.
    t.client.completeJob({ jobKey: first.jobKey, variables: { done: 'twice' } }),
    t.client.completeJob({ jobKey: '2251799813999999' as never }),
  ]);
  const firstTwice = [statusOf(results[0]), statusOf(results[40])].sort();
  expect(firstTwice).toEqual([404, 'ok']);
  expect(results.slice(1, 40).map(statusOf)).toEqual(Array(39).fill('ok'));
  expect(statusOf(results[41])).toBe(404);

  for (const [n, key] of keys.entries()) {
    expect(await instanceState(t.db.knex, key)).toBe('COMPLETED');
    const vars = await rootVariables(t.db.knex, key);
    expect(vars.n).toBe(n);
    expect(vars.done === n || (key === first.processInstanceKey && vars.done === 'twice')).toBe(true);
  }
  const completed = await t.db
    .knex('engine.record')
    .whereIn('process_instance_key', keys)
    .where({ value_type: 'JOB', intent: 'COMPLETED' })
    .count<{ count: string }[]>('* as count');
  expect(Number(completed[0].count)).toBe(40);
  expect(
    await transactions(
      'engine.record',
      `process_instance_key = ANY(?::bigint[]) AND value_type = 'JOB' AND intent = 'COMPLETED'`,
      keys,
    ),
  ).toBeLessThan(40);
});

test('both jobs of one instance in the same burst: the second runs after the first commits, the join sees both', async () => {
  const created = await Promise.all(
    Array.from({ length: 10 }, (_, n) =>
      t.client.createProcessInstance({ processDefinitionId: 'parallel-gateway' as never, variables: { n } }),
    ),
  );
  const a = await activate('par-a', 10);
  const b = await activate('par-b', 10);
  await Promise.all(
    [...a, ...b].map((j) =>
      t.client.completeJob({ jobKey: j.jobKey, variables: { [`${j.elementId}${j.variables.n}`]: true } }),
    ),
  );
  const after = await activate('par-after', 10);
  for (const j of after) {
    const n = j.variables.n as number;
    expect(j.variables).toEqual(expect.objectContaining({ [`a${n}`]: true, [`b${n}`]: true }));
  }
  await Promise.all(after.map((j) => t.client.completeJob({ jobKey: j.jobKey })));
  for (const c of created) expect(await instanceState(t.db.knex, c.processInstanceKey)).toBe('COMPLETED');
});

test('children of one parent ending in the same burst: each child tells the parent, every output arrives', async () => {
  const parents = await Promise.all(
    [0, 1, 2].map((p) =>
      t.client.createProcessInstance({
        processDefinitionId: 'mi-call' as never,
        variables: { items: [1, 2, 3, 4].map((i) => p * 10 + i) },
      }),
    ),
  );
  const jobs = await activate('child-work', 12);
  await Promise.all(
    jobs.map((j) =>
      t.client.completeJob({ jobKey: j.jobKey, variables: { childResult: `r${j.variables.childOrder}` } }),
    ),
  );
  for (const [p, parent] of parents.entries()) {
    expect(await instanceState(t.db.knex, parent.processInstanceKey)).toBe('COMPLETED');
    expect((await rootVariables(t.db.knex, parent.processInstanceKey)).outs).toEqual(
      [1, 2, 3, 4].map((i) => `r${p * 10 + i}`),
    );
  }
});

test('an instance whose lock is held elsewhere does not hold up the other commands of its batch', async () => {
  const created = await Promise.all(
    Array.from({ length: 12 }, (_, n) =>
      t.client.createProcessInstance({ processDefinitionId: 'service-task' as never, variables: { n } }),
    ),
  );
  const jobs = await activate('charge', 12);
  const [slow, ...others] = jobs;
  const holder = new pg.Client({ connectionString: t.db.url });
  await holder.connect();
  try {
    // A long command on the first instance, as far as the engine can tell.
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM engine.process_instance WHERE key = $1 FOR UPDATE', [slow.processInstanceKey]);
    const waiting = t.client.completeJob({ jobKey: slow.jobKey, variables: { done: 'late' } });
    await Promise.all(
      others.map((j) => t.client.completeJob({ jobKey: j.jobKey, variables: { done: j.variables.n } })),
    );
    for (const j of others) expect(await instanceState(t.db.knex, j.processInstanceKey)).toBe('COMPLETED');
    expect(await instanceState(t.db.knex, slow.processInstanceKey)).toBe('ACTIVE');
    await holder.query('COMMIT');
    await waiting;
  } finally {
    await holder.end();
  }
  for (const c of created) expect(await instanceState(t.db.knex, c.processInstanceKey)).toBe('COMPLETED');
});
