import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configVariables } from '../../server/config.js';

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
    // Its own process group, like a terminal's foreground job: SIGINT reaches node and PostgreSQL at once.
    const child = spawn(process.execPath, MAIN, {
      cwd: ROOT,
      env: env({ PORT: '0', DATA_DIR: dataDir }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /Aquaflow is running at (http:\/\/\S+)/.exec(stdout);
          if (m) {
            clearInterval(timer);
            resolve(m[1]);
          }
        }, 100);
        void exited.then((code) => {
          clearInterval(timer);
          reject(new Error(`exited with ${code} before it was ready: ${stderr}`));
        });
      });
      expect(stdout).toMatch(/Demo users \(password "demo"\): admin, clerk/);
      const health = await fetch(`${url}/api/health`);
      expect(await json(health)).toMatchObject({ status: 'ok' });

      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
    const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
    expect(ps.split('\n').filter((l) => l.includes(dataDir))).toEqual([]);
    expect(stderr).not.toMatch(/exiting without waiting/);
  });
});
