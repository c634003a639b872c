import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { withDatabase } from '../../db/embedded.js';
import { createKnex, type Knex } from '../../db/index.js';
import { loadConfig } from '../../platform/config.js';
import { ROOT_DIR, startAquaflow, type RunningAquaflow } from '../../server/lifecycle.js';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';
import { eventually } from '../support/records.js';

/**
 * `npm run backup` / `npm run restore`: a backup taken while Aquaflow runs, restored into an empty database,
 * gives the same rows, and the instances that were waiting carry on — on DATABASE_URL and on the embedded
 * PostgreSQL under DATA_DIR.
 */

const pgDumpAvailable = ['/usr/lib/postgresql/15/bin/pg_dump', '/usr/bin/pg_dump'].some((f) => fs.existsSync(f));
const describeWithPgDump = pgDumpAvailable ? describe : describe.skip;
if (!pgDumpAvailable)
  process.stderr.write('SKIPPED backup tests: no pg_dump; install Debian package postgresql-client-15\n');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs server/cli/<script>.ts as npm run would, with Aquaflow's configuration in the environment. */
function cli(script: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT_DIR, 'server', 'cli', `${script}.ts`), ...args],
      {
        cwd: ROOT_DIR,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...env },
        timeout: 120000,
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const NOW = { consistency: { waitUpToMs: 0 } } as never;

function client(url: string, username: string) {
  return createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: url,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: username,
      CAMUNDA_BASIC_AUTH_PASSWORD: 'demo',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
    } as never,
  });
}

/** Row counts of every table of the utility's data, the engine and the migration history. */
async function rowCounts(knex: Knex): Promise<Record<string, number>> {
  const tables = await knex.raw<{ rows: Array<{ name: string }> }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
      WHERE schemaname IN ('cis', 'engine') OR (schemaname = 'public' AND tablename LIKE 'knex%') ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows)
    counts[name] = Number((await knex.raw(`SELECT count(*) AS n FROM ${name}`)).rows[0].n);
  return counts;
}

const JOB_PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://aquaflow.example/test">
  <bpmn:process id="backup-job" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work">
      <bpmn:extensionElements><zeebe:taskDefinition type="backup-check" /></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

/** A service-request instance waiting at its first user task, and one waiting at a job. */
async function startWaitingInstances(url: string): Promise<{ tasks: string; job: string }> {
  const manager = client(url, 'manager');
  await manager.createDeployment({
    resources: [new File([JOB_PROCESS], 'backup-job.bpmn', { type: 'application/xml' })],
  });
  const tasks = await manager.createProcessInstance({
    processDefinitionId: 'service-request' as never,
    variables: { customerName: '赵六', subject: '备份之前' },
  });
  const job = await manager.createProcessInstance({ processDefinitionId: 'backup-job' as never, variables: {} });
  return { tasks: String(tasks.processInstanceKey), job: String(job.processInstanceKey) };
}

/** After the restore: the user tasks are worked by a clerk, the job by the worker, and both instances end. */
async function carryOn(url: string, pis: { tasks: string; job: string }): Promise<void> {
  const clerk = client(url, 'clerk');
  for (const elementId of ['review', 'confirm']) {
    const task = await eventually(async () => {
      const found = await clerk.searchUserTasks(
        { filter: { processInstanceKey: pis.tasks, elementId, state: 'CREATED' } } as never,
        NOW,
      );
      return found.items[0];
    });
    await clerk.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'clerk' });
    await clerk.completeUserTask({ userTaskKey: task.userTaskKey, variables: { decision: 'ok', note: 'restored' } });
  }
  const worker = client(url, 'worker');
  const job = await eventually(async () => {
    const { jobs } = await worker.activateJobs({
      type: 'backup-check',
      maxJobsToActivate: 10,
      timeout: 60000,
      worker: 'backup-test',
      requestTimeout: 1000,
    } as never);
    return jobs.find((j) => String(j.processInstanceKey) === pis.job);
  });
  await worker.completeJob({ jobKey: job.jobKey, variables: {} });
  const manager = client(url, 'manager');
  for (const key of [pis.tasks, pis.job])
    await eventually(
      async () => (await manager.getProcessInstance({ processInstanceKey: key as never }, NOW)).state === 'COMPLETED',
    );
}

describeWithPgDump('backup and restore on DATABASE_URL', () => {
  let aq: TestAquaflow;
  let restored: RunningAquaflow | undefined;
  let restoredKnex: Knex | undefined;
  const emptyName = `t_restore_${crypto.randomBytes(4).toString('hex')}`;
  const admin = () => new pg.Client({ connectionString: process.env.AQUAFLOW_TEST_PG_URL });
  const emptyUrl = withDatabase(process.env.AQUAFLOW_TEST_PG_URL!, emptyName);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-backup-'));
  const file = path.join(dir, 'aquaflow.dump');

  beforeAll(async () => {
    aq = await startTestAquaflow({ demoAccounts: 40 });
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE "${emptyName}"`);
    await c.end();
  }, 120000);
  afterAll(async () => {
    await restored?.stop();
    await restoredKnex?.destroy();
    await aq?.stop();
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${emptyName}" WITH (FORCE)`);
    await c.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a backup taken while Aquaflow runs restores into an empty database, and waiting instances carry on', async () => {
    const pis = await startWaitingInstances(aq.app.url);

    const backup = await cli('backup', [file], { DATABASE_URL: aq.db.url });
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout).toMatch(/^backup: wrote .*aquaflow\.dump \(.*tables\) from DATABASE_URL /);
    expect(backup.stdout).toContain(':***@'); // the database is named without its password
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    // An existing backup is never overwritten by accident.
    const again = await cli('backup', [file], { DATABASE_URL: aq.db.url });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^backup: .*exists; .*--force/);

    await aq.app.stop();
    const before = await rowCounts(aq.db.knex);
    expect(before['cis.customers']).toBeGreaterThan(0);
    expect(before['cis.ledger_entries']).toBeGreaterThan(0);
    expect(before['engine.process_instance']).toBeGreaterThanOrEqual(2);

    const restore = await cli('restore', [file], { DATABASE_URL: emptyUrl });
    expect(restore).toMatchObject({ code: 0, stderr: '' });
    expect(restore.stdout).toMatch(/^restore: restored .* into DATABASE_URL /);
    const check = createKnex(emptyUrl);
    expect(await rowCounts(check)).toEqual(before);
    await check.destroy(); // a connected session would make the next restore refuse for that reason instead

    // A second restore into the now full database is refused and changes nothing.
    const twice = await cli('restore', [file], { DATABASE_URL: emptyUrl });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^restore: .* is not empty .*--force/);
    expect(twice.stderr.trim().split('\n')).toHaveLength(1);
    restoredKnex = createKnex(emptyUrl);
    expect(await rowCounts(restoredKnex)).toEqual(before);

    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: emptyUrl, LOG_LEVEL: 'silent' });
    restored = await startAquaflow(config, {
      logger: pino({ level: 'silent' }),
      buildWeb: false,
      workers: [],
      demoAccounts: 0,
    });
    // While Aquaflow runs on it, a restore is refused (its sessions are connected).
    const busy = await cli('restore', [file, '--force'], { DATABASE_URL: emptyUrl });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/^restore: \d+ other session\(s\) are connected/);
    await carryOn(restored.url, pis);
    expect(Number((await restoredKnex('cis.customers').count({ n: '*' }))[0].n)).toBe(before['cis.customers']);

    // Once Aquaflow is stopped, --force replaces what the database holds with the backup again.
    await restored.stop();
    restored = undefined;
    await restoredKnex.destroy();
    const replaced = await cli('restore', [file, '--force'], { DATABASE_URL: emptyUrl });
    expect(replaced).toMatchObject({ code: 0, stderr: '' });
    restoredKnex = createKnex(emptyUrl);
    expect(await rowCounts(restoredKnex)).toEqual(before);
  }, 240000);

  test('a missing pg_dump is one line naming the package; a file that is no backup is refused', async () => {
    const missing = await cli('backup', [path.join(dir, 'x.dump'), '--pg-bin', '/nonexistent'], {
      DATABASE_URL: aq.db.url,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      "backup: pg_dump not found in /nonexistent: install Debian's postgresql-client-15 package (apt-get install postgresql-client-15)\n",
    );
    const junk = path.join(dir, 'junk.dump');
    fs.writeFileSync(junk, 'not a dump');
    const refused = await cli('restore', [junk], { DATABASE_URL: emptyUrl });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^restore: .*junk\.dump is not a backup made by npm run backup/);
  }, 60000);
});

describeWithPgDump('backup and restore of the embedded database (DATA_DIR)', () => {
  // As root, PostgreSQL runs as user postgres, which must be able to enter the data directories' parents.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-backup-embedded-'));
  fs.chmodSync(parent, 0o755);
  const file = path.join(parent, 'embedded.dump');
  const start = (dataDir: string) =>
    startAquaflow(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
      logger: pino({ level: 'silent' }),
      buildWeb: false,
      workers: [],
      demoAccounts: 30,
    });
  let running: RunningAquaflow | undefined;
  afterAll(async () => {
    await running?.stop();
    fs.rmSync(parent, { recursive: true, force: true });
  });

  test('backup while running, restore into an empty DATA_DIR, start on it and carry on', async () => {
    const first = path.join(parent, 'first');
    const second = path.join(parent, 'second');
    running = await start(first);
    const pis = await startWaitingInstances(running.url);
    const backup = await cli('backup', [file], { DATA_DIR: first });
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout).toMatch(/from the embedded database in .*first\/pg \(running, pid \d+\)/);
    const knex = createKnex(running.databaseUrl);
    const before = await rowCounts(knex);
    await knex.destroy();
    await running.stop();
    running = undefined;

    // With Aquaflow stopped, the backup starts the embedded PostgreSQL itself, and stops it again.
    const cold = await cli('backup', [path.join(parent, 'cold.dump')], { DATA_DIR: first });
    expect(cold).toMatchObject({ code: 0, stderr: '' });

    const restore = await cli('restore', [file], { DATA_DIR: second });
    expect(restore).toMatchObject({ code: 0, stderr: '' });
    const twice = await cli('restore', [file], { DATA_DIR: second });
    expect(twice.stderr).toMatch(/^restore: the embedded database in .* is not empty/);

    running = await start(second);
    const refused = await cli('restore', [file, '--force'], { DATA_DIR: second });
    expect(refused.stderr).toMatch(
      /^restore: Aquaflow's PostgreSQL \(pid \d+\) is running on .*second\/pg: stop Aquaflow/,
    );
    const after = createKnex(running.databaseUrl);
    try {
      const now = await rowCounts(after);
      for (const table of ['cis.customers', 'cis.accounts', 'cis.ledger_entries', 'cis.users', 'engine.user_task'])
        expect([table, now[table]]).toEqual([table, before[table]]);
      await carryOn(running.url, pis);
    } finally {
      await after.destroy();
    }
    const missing = await cli('backup', [path.join(parent, 'none.dump')], { DATA_DIR: path.join(parent, 'nothing') });
    expect(missing.stderr).toMatch(/^backup: there is no database in .*nothing\/pg: nothing to back up/);
  }, 300000);
});
