import pg from 'pg';
import { startTestEngine, type TestEngine } from '../support/engine.js';
import { eventually } from '../support/records.js';

// Two engine processes on one database wake each other's waiters through LISTEN/NOTIFY
// (engine/runtime/cross-process.ts). An engine alone notifies nobody; once another engine announces
// itself, a long poll or an await-completion request on one is answered by work done on the other.

let a: TestEngine;
let raw: pg.Client;
/** What a plain listener on the engine channels heard: "channel payload" without the sender id. */
const heard: string[] = [];

beforeAll(async () => {
  a = await startTestEngine();
  await a.deploy('service-task.bpmn');
  raw = new pg.Client({ connectionString: a.db.url });
  await raw.connect();
  raw.on('notification', (n) => heard.push(`${n.channel} ${(n.payload ?? '').split('|')[1]}`));
  await raw.query('LISTEN engine_jobs; LISTEN engine_pi_end; LISTEN engine_nodes; LISTEN test_probe');
});
afterAll(async () => {
  await raw?.end();
  await a?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one instance of service-task through engine `on`: creation, activation, completion. */
async function runOne(on: TestEngine, n: number): Promise<void> {
  await on.client.createProcessInstance({ processDefinitionId: 'service-task' as never, variables: { n } });
  const { jobs } = await on.client.activateJobs({
    type: 'charge',
    maxJobsToActivate: 1,
    timeout: 60000,
    worker: 'cross',
    requestTimeout: 5000,
  } as never);
  expect(jobs).toHaveLength(1);
  await on.client.completeJob({ jobKey: jobs[0].jobKey });
}

/** Everything heard after `from`, once a probe sent after a quiet moment has come back (commit order). */
async function heardSince(from: number): Promise<string[]> {
  // On a channel of its own: engines take anything on theirs for a sign of a peer.
  await sleep(300);
  await raw.query(`NOTIFY test_probe, 'test|probe'`);
  await eventually(async () => heard.slice(from).includes('test_probe probe'));
  return heard.slice(from).filter((h) => h !== 'test_probe probe');
}

test('an engine alone notifies nobody of its jobs and ended instances', async () => {
  const from = heard.length;
  await runOne(a, 1);
  expect(await heardSince(from)).toEqual([]);
});

test('with a second engine: both learn of each other, and each wakes the waiters of the other', async () => {
  const from = heard.length;
  const b = await startTestEngine({ database: a.db });
  try {
    // B announced itself as it started; A answered.
    await eventually(async () => heard.slice(from).includes('engine_nodes here'));
    expect(heard.slice(from)).toContain('engine_nodes hello');

    // A long poll waiting on B is answered by a job A creates.
    const poll = b.client.activateJobs({
      type: 'charge',
      maxJobsToActivate: 1,
      timeout: 60000,
      worker: 'b',
      requestTimeout: 20000,
    } as never);
    await sleep(300);
    const created = await a.client.createProcessInstance({
      processDefinitionId: 'service-task' as never,
      variables: { n: 2 },
    });
    const polled = await poll;
    expect(polled.jobs.map((j) => String(j.processInstanceKey))).toEqual([String(created.processInstanceKey)]);
    await b.client.completeJob({ jobKey: polled.jobs[0].jobKey });

    // An await-completion request on B is answered when A completes the instance's job.
    const awaited = b.client.createProcessInstance({
      processDefinitionId: 'service-task' as never,
      variables: { n: 3 },
      awaitCompletion: true,
      requestTimeout: 20000,
    } as never);
    const { jobs } = await a.client.activateJobs({
      type: 'charge',
      maxJobsToActivate: 1,
      timeout: 60000,
      worker: 'a',
      requestTimeout: 10000,
    } as never);
    expect(jobs).toHaveLength(1);
    await a.client.completeJob({ jobKey: jobs[0].jobKey, variables: { receipt: 'R-3' } });
    expect((await awaited).variables).toEqual({ n: 3, receipt: 'R-3' });
  } finally {
    await b.stop();
  }

  // B said goodbye: A is alone again and stops notifying.
  await eventually(async () => heard.includes('engine_nodes bye'));
  const after = heard.length;
  await runOne(a, 4);
  expect(await heardSince(after)).toEqual([]);
}, 60000);
