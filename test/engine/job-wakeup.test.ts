import pg from 'pg';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { instanceState } from '../support/records.js';

// A command locks its instance's open jobs until it commits, and activation skips locked jobs. A long
// poll that looked while a job was locked must be woken when the lock goes, not at its timeout.

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.deploy('parallel-job-and-task.bpmn');
});
afterAll(async () => {
  await t?.stop();
});

test('a long poll that skipped a locked job gets it when the command holding the lock commits', async () => {
  const pi = await t.client.createProcessInstance({ processDefinitionId: 'parallel-job-and-task' as never });
  const job = await t.db
    .knex('engine.job')
    .where({ process_instance_key: pi.processInstanceKey, type: 'wakeup-work' })
    .first();
  const task = await t.db.knex('engine.user_task').where({ process_instance_key: pi.processInstanceKey }).first();

  // Another transaction holds the job row, as a command on the instance would.
  const holder = new pg.Client({ connectionString: t.db.url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM engine.job WHERE key = $1 FOR UPDATE', [job.key]);

    // The poll's first look skips the locked job and waits (long poll of 20 s).
    const poll = t.client.activateJobs({
      type: 'wakeup-work',
      maxJobsToActivate: 1,
      timeout: 30000,
      worker: 'wakeup',
      requestTimeout: 20000,
    } as never);
    await new Promise((r) => setTimeout(r, 300));

    // A command on the same instance queues behind the lock; both go on once it is released.
    const completion = t.client.completeUserTask({ userTaskKey: String(task.key) as never });
    await new Promise((r) => setTimeout(r, 300));
    await holder.query('COMMIT');
    await completion;

    const { jobs } = await poll;
    expect(jobs.map((j) => j.jobKey)).toEqual([String(job.key)]);
  } finally {
    await holder.end();
  }
  await t.client.completeJob({ jobKey: String(job.key) as never });
  expect(await instanceState(t.db.knex, pi.processInstanceKey)).toBe('COMPLETED');
}, 40000);
