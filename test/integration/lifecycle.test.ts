import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import pino from 'pino';
import { loadConfig } from '../../platform/config.js';
import { startAquaflow, StartupError } from '../../server/lifecycle.js';

// Response bodies in tests are whatever the server sent; assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: Response): Promise<any> => res.json();

const logger = pino({ level: 'silent' });
const isRoot = process.getuid?.() === 0;

/** A temporary DATA_DIR's parent; as root it must be enterable by the `postgres` user PostgreSQL runs as. */
function tempParent(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-life-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

function postgresProcessesFor(dataDir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes('postgres') && line.includes(dataDir));
}

describe('start and stop (embedded PostgreSQL)', () => {
  const parent = tempParent();
  const dataDir = path.join(parent, 'data');
  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  test('serves health and the web app, stops without leftovers, and a second start reuses the data', async () => {
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });

    const first = await startAquaflow(config, { logger });
    try {
      expect(first.seededUsers).toContain('clerk');
      const health = await fetch(`${first.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await json(health)).toMatchObject({ status: 'ok', database: 'ok', engine: 'ok' });
      const page = await fetch(`${first.url}/`, { headers: { Accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
      // The embedded engine authenticates /v2 against Aquaflow's users.
      expect((await fetch(`${first.url}/v2/topology`)).status).toBe(401);
      const basic = (user: string, password: string) => ({
        headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
      });
      expect((await fetch(`${first.url}/v2/topology`, basic('clerk', 'demo'))).status).toBe(200);
      expect((await fetch(`${first.url}/v2/topology`, basic('clerk', 'demo'))).status).toBe(200); // remembered
      expect((await fetch(`${first.url}/v2/topology`, basic('clerk', 'wrong'))).status).toBe(401);
    } finally {
      await first.stop();
    }
    expect(postgresProcessesFor(dataDir)).toEqual([]);
    await expect(fetch(`${first.url}/api/health`)).rejects.toThrow();

    const second = await startAquaflow(config, { logger, buildWeb: false });
    try {
      expect(second.seededUsers).toEqual([]); // not a new database: nothing seeded again
      const signIn = await fetch(`${second.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'clerk', password: 'demo' }),
      });
      expect(signIn.status).toBe(201);
    } finally {
      await second.stop();
      await second.stop(); // idempotent
    }
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  });
});

describe('start-up failures leave nothing behind', () => {
  test('a port in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '0.0.0.0', r));
    const port = (blocker.address() as net.AddressInfo).port;
    const parent = tempParent();
    try {
      const config = loadConfig({ PORT: String(port), DATA_DIR: path.join(parent, 'data') });
      const start = startAquaflow(config, { logger, buildWeb: false });
      await expect(start).rejects.toThrow(StartupError);
      await expect(start).rejects.toThrow(`port ${port} is already in use`);
      expect(fs.readdirSync(parent)).toEqual([]);
    } finally {
      blocker.close();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  test('an unreachable DATABASE_URL, named without its password', async () => {
    const port = await getPort();
    const config = loadConfig({ PORT: '0', DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${port}/aquaflow` });
    const start = startAquaflow(config, { logger, buildWeb: false });
    await expect(start).rejects.toThrow(
      /^cannot reach the database at DATABASE_URL postgres:\/\/app:\*\*\*@127\.0\.0\.1/,
    );
    await expect(start).rejects.not.toThrow(/s3cret/);
  });

  test('a PG_PORT in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const pgPort = (blocker.address() as net.AddressInfo).port;
    const parent = tempParent();
    try {
      const config = loadConfig({ PORT: '0', PG_PORT: String(pgPort), DATA_DIR: path.join(parent, 'data') });
      await expect(startAquaflow(config, { logger, buildWeb: false })).rejects.toThrow(
        new RegExp(`embedded PostgreSQL did not start on port ${pgPort}`),
      );
      expect(fs.readdirSync(parent)).toEqual([]);
    } finally {
      blocker.close();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  (isRoot ? test : test.skip)('as root: a data directory the postgres user cannot enter', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-closed-')); // mode 0700
    try {
      const config = loadConfig({ PORT: '0', DATA_DIR: path.join(parent, 'data') });
      await expect(startAquaflow(config, { logger, buildWeb: false })).rejects.toThrow(/cannot enter .*chmod o\+x/);
      expect(fs.readdirSync(parent)).toEqual([]);
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  (isRoot ? test.skip : test)('as a normal user: a data directory owned by someone else', async () => {
    // The root directory exists on every machine and belongs to root.
    const config = loadConfig({ PORT: '0', DATA_DIR: '/' });
    await expect(startAquaflow(config, { logger, buildWeb: false })).rejects.toThrow(/belongs to another user/);
  });
});
