import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { fixtureFile } from '../support/engine.js';
import { eventually } from '../support/records.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function startEngineProcess(databaseUrl: string, port = 0): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader, not the tsx launcher: SIGKILL must hit the engine, not a wrapper that orphans it.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/engine-process.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (d: Buffer) => {
      const m = /ready (\d+)/.exec(d.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`engine process exited early (${code})`)));
  });
}

const clientFor = (port: number) =>
  createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: `http://127.0.0.1:${port}`,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
      CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
    } as never,
  });

let db: TestDatabase;
let child: ChildProcess | undefined;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await db?.drop();
});

test('kill -9 during a burst of 1,000 instance creations loses no acknowledged instance and leaves none half-made', async () => {
  let engine = await startEngineProcess(db.url);
  child = engine.child;
  const client = clientFor(engine.port);
  await client.createDeployment({ resources: [fixtureFile('service-task.bpmn')] });

  const acknowledged: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < 1000) {
      next++;
      try {
        const pi = await client.createProcessInstance({
          processDefinitionId: 'service-task' as never,
          variables: { n: next },
        });
        acknowledged.push(pi.processInstanceKey);
      } catch {
        return; // the engine is gone
      }
    }
  };
  const burst = Promise.all(Array.from({ length: 16 }, worker));
  await eventually(async () => acknowledged.length >= 150, 60000);
  engine.child.kill('SIGKILL');
  await burst;

  engine = await startEngineProcess(db.url);
  child = engine.child;
  const rows = await db.knex('engine.process_instance').whereIn('key', acknowledged).select('key');
  expect(rows).toHaveLength(acknowledged.length);
  // Atomicity: every instance that exists at all reached its wait state (its job exists).
  const halfMade = await db.knex.raw(
    `SELECT pi.key FROM engine.process_instance pi LEFT JOIN engine.job j ON j.process_instance_key = pi.key WHERE j.key IS NULL`,
  );
  expect(halfMade.rows).toEqual([]);

  // and the engine carries on with them after the restart
  const again = clientFor(engine.port);
  const { jobs } = await again.activateJobs({
    type: 'charge',
    maxJobsToActivate: 5,
    timeout: 30000,
    worker: 'after',
    requestTimeout: 5000,
  } as never);
  expect(jobs.length).toBeGreaterThan(0);
  for (const j of jobs) await again.completeJob({ jobKey: j.jobKey, variables: {} });
  const completed = await db
    .knex('engine.process_instance')
    .whereIn(
      'key',
      jobs.map((j) => j.processInstanceKey),
    )
    .pluck('state');
  expect(completed.every((s) => s === 'COMPLETED')).toBe(true);
  engine.child.kill('SIGKILL');
  child = undefined;
}, 120000);
