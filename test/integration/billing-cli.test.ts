import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { BILLING_WORKERS } from '../processes/billing-harness.js';
import { addReading, billingAccount } from '../support/billing.js';
import { startTestAquaflow, type TestAquaflow } from '../support/aquaflow.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = ['--import', 'tsx', 'server/cli/bill-run.ts'];

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.NODE_OPTIONS; // Jest's --experimental-vm-modules is not for the child
  return e;
}

/** Runs the CLI without blocking the event loop (the app under test answers in this process). */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let t: TestAquaflow;
beforeAll(async () => {
  t = await startTestAquaflow({ demoAccounts: 0, workers: BILLING_WORKERS });
}, 120000);
afterAll(async () => {
  await t?.stop();
});

test('npm run bill-run starts the run, prints progress on stderr and the finished run on stdout; again: joins it', async () => {
  const a = await billingAccount(t.db.knex);
  await addReading(t.db.knex, a.id, '2026-08', '30');
  const r = await runCli(['--period', '2026-08', '--url', t.app.url]);
  expect(r.stderr).toContain('bill-run 2026-08: run ');
  expect(r.stderr).toMatch(/bill-run 2026-08: done 1\/1 \(100 %\)/);
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ period: '2026-08', status: 'done', done: 1, total: 1, billsPosted: 1 });
  const again = await runCli(['--period', '2026-08', '--url', t.app.url]);
  expect(again.status).toBe(0);
  expect(again.stderr).toMatch(/joining run \d+, already done/);
  expect(await t.db.knex('cis.bill_runs').where({ period: '2026-08-01' })).toHaveLength(1);
});

test('bad arguments: one line naming the problem, exit code 2', () => {
  const r = spawnSync(process.execPath, [...CLI, '--period', '2026-13'], { cwd: ROOT, env: env(), encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/^bill-run: --period must be YYYY-MM/);
});

test('a user who may not start runs: refused with the server’s reason, exit code 1', async () => {
  const r = await runCli(['--period', '2026-07', '--url', t.app.url, '--user', 'auditor']);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/^bill-run: 403: /);
});
