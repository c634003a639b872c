import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configVariables } from '../../platform/config.js';

// Response bodies in tests are whatever the server sent; assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: Response): Promise<any> => res.json();

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = ['--import', 'tsx', 'server/main.ts'];

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.NODE_OPTIONS; // Jest's --experimental-vm-modules is not for the child
  for (const v of configVariables()) delete base[v.name];
  return { ...base, LOG_LEVEL: 'warn', ...extra };
}

function run(args: string[], extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...MAIN, ...args], {
    cwd: ROOT,
    env: env(extra),
    encoding: 'utf8',
    timeout: 60000,
  });
}

describe('npm start (server/main.ts) on bad input', () => {
  test('an unknown argument: one line naming it, exit code 2', () => {
    const r = run(['--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^aquaflow: .*'--bogus'.*see --help/);
  });

  test('an invalid variable: one line naming it, exit code 1', () => {
    const r = run([], { PORT: 'eighty' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^aquaflow: invalid configuration: PORT: [^\n]+$/);
  });

  test('--help lists every configuration variable', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const v of configVariables()) expect(r.stdout).toContain(v.name);
  });
});

describe('npm start (server/main.ts) and Ctrl-C', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-cli-'));
  fs.chmodSync(parent, 0o755); // as root, PostgreSQL runs as user "postgres"
  const dataDir = path.join(parent, 'data');
  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  test('prints the address and demo users, serves health, and stops cleanly on SIGINT to its process group', async () => {
    // Exactly `npm start` (npm → node), in its own process group like a terminal's foreground job:
    // SIGINT reaches npm, node and PostgreSQL at once.
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: env({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // npm exits as soon as it has passed the signal on; the pipe closes only when every process holding it
    // (npm, node) has exited, i.e. when Aquaflow's shutdown is over.
    const closed = new Promise<void>((resolve) => child.stdout.on('close', () => resolve()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve())); // reaped: no zombie left
    let ready = false;
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /Aquaflow is running at (http:\/\/\S+)/.exec(stdout);
          if (m) {
            clearInterval(timer);
            resolve(m[1]);
          }
        }, 100);
        void closed.then(() => {
          clearInterval(timer);
          reject(new Error(`exited before it was ready: ${stderr}`));
        });
      });
      ready = true;
      expect(stdout).toMatch(/Demo users \(password "demo"\): admin, clerk/);
      const health = await fetch(`${url}/api/health`);
      expect(await json(health)).toMatchObject({ status: 'ok' });

      process.kill(-child.pid!, 'SIGINT');
      await Promise.all([closed, exited]);
    } finally {
      if (!ready) process.kill(-child.pid!, 'SIGKILL');
    }
    const log = stdout.split('\n').filter((l) => l.startsWith('{'));
    const messages = log.map((l) => JSON.parse(l).msg);
    // The ordered shutdown ran to its end. (PostgreSQL receives the group's SIGINT too and shuts itself down
    // cleanly at the same time, so pool errors may be logged in between.)
    expect(messages.indexOf('shutting down')).toBeGreaterThanOrEqual(0);
    expect(messages.indexOf('stopped')).toBeGreaterThan(messages.indexOf('shutting down'));
    expect(stderr).not.toMatch(/exiting without waiting/);
    // Nothing of its process group (npm, node, PostgreSQL) is left.
    const ps = execFileSync('ps', ['-eo', 'pgid=,args='], { encoding: 'utf8' });
    const left = ps.split('\n').filter((l) => l.trim().split(/\s+/)[0] === String(child.pid) || l.includes(dataDir));
    expect(left).toEqual([]);
  });
});
