import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually, instanceState } from '../support/records.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('restart.bpmn', 'service-task.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

describe('restart mid-flow', () => {
  test('instances waiting on jobs, user tasks and a join all finish after a restart', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 5; i++)
      keys.push(
        (await t.client.createProcessInstance({ processDefinitionId: 'restart' as never, variables: { i } }))
          .processInstanceKey,
      );
    // half of the jobs done before the restart: those instances wait at the join
    const { jobs } = await t.client.activateJobs({
      type: 'restart-work',
      maxJobsToActivate: 10,
      timeout: 60000,
      worker: 'before',
      requestTimeout: 5000,
    } as never);
    expect(jobs).toHaveLength(5);
    for (const j of jobs.slice(0, 2)) await t.client.completeJob({ jobKey: j.jobKey, variables: { done: true } });

    await t.restart();

    // the three activated-but-unfinished jobs are still ACTIVATED; shorten their deadline so they come back
    for (const j of jobs.slice(2)) await t.client.updateJob({ jobKey: j.jobKey, changeset: { timeout: 1 } });
    const worker = t.client.createJobWorker({
      jobType: 'restart-work',
      maxParallelJobs: 5,
      jobTimeoutMs: 60000,
      pollIntervalMs: 50,
      jobHandler: (job: { complete(v: Record<string, unknown>): Promise<unknown> }) => job.complete({ done: true }),
    } as never);
    try {
      const tasks = await t.db
        .knex('engine.user_task')
        .whereIn('process_instance_key', keys)
        .where({ state: 'CREATED' });
      expect(tasks).toHaveLength(5);
      for (const task of tasks)
        await t.client.completeUserTask({ userTaskKey: task.key, variables: { approved: true } });
      for (const k of keys) await eventually(async () => (await instanceState(t.db.knex, k)) === 'COMPLETED');
    } finally {
      (worker as { stop(): void }).stop();
    }
    const joins = await t.db
      .knex('engine.record')
      .whereIn('process_instance_key', keys)
      .where({ element_id: 'join', intent: 'ELEMENT_COMPLETED' });
    expect(joins).toHaveLength(5);
  });
});

describe('at-least-once delivery', () => {
  test('a job whose deadline passed is delivered again; an idempotent worker causes one effect', async () => {
    const pi = await t.client.createProcessInstance({
      processDefinitionId: 'service-task' as never,
      variables: { account: 'A-1' },
    });
    const first = await t.client.activateJobs({
      type: 'charge',
      maxJobsToActivate: 1,
      timeout: 1,
      worker: 'slow',
      requestTimeout: 5000,
    } as never);
    expect(first.jobs).toHaveLength(1);
    const second = await t.client.activateJobs({
      type: 'charge',
      maxJobsToActivate: 1,
      timeout: 30000,
      worker: 'fast',
      requestTimeout: 10000,
    } as never);
    expect(second.jobs.map((j) => j.jobKey)).toEqual(first.jobs.map((j) => j.jobKey));

    // the worker's side effect is keyed by job key: the second delivery finds it done
    const effects = new Map<string, number>();
    const handle = async (jobKey: string) => {
      if (!effects.has(jobKey)) effects.set(jobKey, 1);
      try {
        await t.client.completeJob({ jobKey: jobKey as never, variables: { charged: true } });
      } catch (e) {
        if ((e as { status?: number }).status !== 404) throw e; // Zeebe forgot the completed job
      }
    };
    await handle(second.jobs[0].jobKey);
    await handle(first.jobs[0].jobKey);
    expect([...effects.values()]).toEqual([1]);
    expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
    const intents = await t.db
      .knex('engine.record')
      .where({ key: first.jobs[0].jobKey })
      .orderBy('position')
      .pluck('intent');
    expect(intents).toEqual(['CREATED', 'ACTIVATED', 'TIMED_OUT', 'ACTIVATED', 'COMPLETED']);
  });

  test('create with awaitCompletion answers with the result variables', async () => {
    const worker = t.client.createJobWorker({
      jobType: 'charge',
      maxParallelJobs: 2,
      jobTimeoutMs: 30000,
      pollIntervalMs: 50,
      jobHandler: (job: { variables: { n: number }; complete(v: Record<string, unknown>): Promise<unknown> }) =>
        job.complete({ receipt: `R-${job.variables.n}` }),
    } as never);
    try {
      const res = await t.client.createProcessInstance({
        processDefinitionId: 'service-task' as never,
        variables: { n: 7 },
        awaitCompletion: true,
        requestTimeout: 20000,
      } as never);
      expect(res.variables).toEqual({ n: 7, receipt: 'R-7' });
    } finally {
      (worker as { stop(): void }).stop();
    }
  });
});

describe('basic authentication', () => {
  test('requests without valid credentials are 401; with them they work and the user is the actor', async () => {
    const secured = await startTestEngine({ basic: { user: 'clerk1', password: 's3cret' } });
    try {
      const res = await fetch(`${secured.url}/v2/topology`);
      expect(res.status).toBe(401);
      const bad = await fetch(`${secured.url}/v2/topology`, {
        headers: { authorization: `Basic ${Buffer.from('clerk1:nope').toString('base64')}` },
      });
      expect(bad.status).toBe(401);
      const d = await secured.deploy('service-task.bpmn');
      const pi = await secured.client.createProcessInstance({
        processDefinitionKey: d.processes[0].processDefinitionKey,
      });
      const rec = await secured.db
        .knex('engine.record')
        .where({ key: pi.processInstanceKey, value_type: 'PROCESS_INSTANCE_CREATION' })
        .first();
      expect(rec.actor).toBe('clerk1');
    } finally {
      await secured.stop();
    }
  });
});
