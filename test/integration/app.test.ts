import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createKnex } from '../../db/index.js';
import { seedDemoUsers } from '../../db/seeds/demo-users.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../platform/config.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

// Response bodies in tests are whatever the server sent; assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: Response): Promise<any> => res.json();

const logger = pino({ level: 'silent' });

async function serve(app: ReturnType<typeof createApp>): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('HTTP app', () => {
  let db: TestDatabase;
  let webDist: string;
  let api: { base: string; close(): Promise<void> };
  const config = loadConfig({ CAMUNDA_REST_ADDRESS: 'http://camunda.example:8080' });

  beforeAll(async () => {
    db = await freshDatabase();
    await seedDemoUsers(db.knex);
    webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-dist-'));
    fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Aquaflow</title><div id="app"></div>');
    fs.mkdirSync(path.join(webDist, 'assets'));
    fs.writeFileSync(path.join(webDist, 'assets', 'app-1234.js'), 'console.log(1)');
    const app = createApp({ config, logger, knex: db.knex, version: '9.9.9', engineState: () => 'external', webDist });
    api = await serve(app);
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
    fs.rmSync(webDist, { recursive: true, force: true });
  });

  test('GET /api/health reports database, engine and version', async () => {
    const res = await fetch(`${api.base}/api/health`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok', database: 'ok', engine: 'external', version: '9.9.9' });
  });

  test('every answer carries a request id; a well-formed incoming one is kept', async () => {
    const fresh = await fetch(`${api.base}/api/health`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${api.base}/api/health`, { headers: { 'X-Request-Id': 'trace-42' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-42');
    const replaced = await fetch(`${api.base}/api/health`, { headers: { 'X-Request-Id': 'bad id <script>' } });
    expect(replaced.headers.get('x-request-id')).not.toContain('script');
  });

  test('an unknown API path is a 404 problem document', async () => {
    const res = await fetch(`${api.base}/api/no-such-thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json(res)).toMatchObject({ status: 404, title: 'Not Found', instance: '/api/no-such-thing' });
  });

  test('/v2 with an external engine points at it', async () => {
    const res = await fetch(`${api.base}/v2/topology`);
    expect(res.status).toBe(404);
    expect((await json(res)).detail).toContain('http://camunda.example:8080');
  });

  describe('session', () => {
    const post = (body: string) =>
      fetch(`${api.base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

    test('malformed JSON is a 400 saying so', async () => {
      const res = await post('{"username":"clerk"');
      expect(res.status).toBe(400);
      expect((await json(res)).detail).toBe('the request body is not valid JSON');
    });

    test('a missing field is a 400 naming it', async () => {
      const res = await post(JSON.stringify({ username: 'clerk' }));
      expect(res.status).toBe(400);
      const body = await json(res);
      expect(body.errors.map((e: { field: string }) => e.field)).toEqual(['password']);
    });

    test('a wrong password and an unknown user get the same 401', async () => {
      const wrong = await post(JSON.stringify({ username: 'clerk', password: 'nope' }));
      const unknown = await post(JSON.stringify({ username: 'nobody', password: 'demo' }));
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect((await json(wrong)).detail).toBe((await json(unknown)).detail);
      expect(wrong.headers.get('set-cookie')).toBeNull();
    });

    test('sign in, see who is signed in, sign out', async () => {
      const res = await post(JSON.stringify({ username: 'clerk', password: 'demo' }));
      expect(res.status).toBe(201);
      expect((await json(res)).user).toMatchObject({ username: 'clerk', roles: ['clerk'] });
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/httponly/i);
      expect(cookie).toMatch(/samesite=(lax|strict)/i);
      const session = cookie.split(';')[0];

      const me = await fetch(`${api.base}/api/session`, { headers: { Cookie: session } });
      expect(me.status).toBe(200);
      expect((await json(me)).user.username).toBe('clerk');

      const out = await fetch(`${api.base}/api/session`, {
        method: 'DELETE',
        headers: { Cookie: session, 'X-Aquaflow-Request': '1' },
      });
      expect(out.status).toBe(204);
      const after = await fetch(`${api.base}/api/session`, { headers: { Cookie: session } });
      expect(after.status).toBe(401);
      expect(after.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    test('the session table keeps only a hash of the cookie token', async () => {
      const res = await post(JSON.stringify({ username: 'auditor', password: 'demo' }));
      const token = res.headers.get('set-cookie')!.split(';')[0].split('=')[1];
      const rows = await db.knex('cis.sessions').select('token_hash');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.token_hash)).not.toContain(token);
    });

    test('an unsupported method is a 405 problem document', async () => {
      const res = await fetch(`${api.base}/api/session`, { method: 'PUT', headers: { 'X-Aquaflow-Request': '1' } });
      expect(res.status).toBe(405);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });

  describe('web app', () => {
    test('/ and deep links get index.html', async () => {
      for (const p of ['/', '/sign-in', '/accounts/42']) {
        const res = await fetch(`${api.base}${p}`, { headers: { Accept: 'text/html' } });
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('<div id="app">');
      }
    });

    test('hashed assets are served with a long cache; a missing file is a 404', async () => {
      const asset = await fetch(`${api.base}/assets/app-1234.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      const missing = await fetch(`${api.base}/assets/gone.js`);
      expect(missing.status).toBe(404);
    });
  });

  test('health is 503 when the database is unreachable', async () => {
    const deadKnex = createKnex('postgres://nobody:x@127.0.0.1:1/none');
    const app = createApp({ config, logger, knex: deadKnex, version: '1', engineState: () => 'ok', webDist });
    const down = await serve(app);
    try {
      const res = await fetch(`${down.base}/api/health`);
      expect(res.status).toBe(503);
      expect(await json(res)).toMatchObject({ status: 'unavailable', database: 'down', engine: 'ok' });
    } finally {
      await down.close();
      await deadKnex.destroy();
    }
  });
});
