import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Knex } from 'knex';
import { health, startingHandler, type EngineState, type Readiness } from './health.js';

async function serve(listener: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('health: readiness and liveness', () => {
  let databaseUp = true;
  let engine: EngineState = 'ok';
  let readiness: Readiness = 'starting';
  const knex = {
    raw: async () => {
      if (!databaseUp) throw new Error('connection refused');
    },
  } as unknown as Knex;
  let server: { base: string; close(): Promise<void> };

  beforeAll(async () => {
    const app = new Koa();
    app.use(health({ knex, version: '1.2.3', engine: () => engine, readiness: () => readiness }));
    server = await serve(app.callback());
  });
  afterAll(() => server.close());
  beforeEach(() => {
    databaseUp = true;
    engine = 'ok';
    readiness = 'starting';
  });

  const get = async (path: string) => {
    const res = await fetch(`${server.base}${path}`);
    return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
  };

  test('while starting, readiness is 503 `starting` and liveness is 200', async () => {
    expect(await get('/api/health')).toEqual({
      status: 503,
      retryAfter: '5',
      body: { status: 'starting', database: 'ok', engine: 'ok', version: '1.2.3' },
    });
    expect(await get('/api/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  test('once ready, both say ok; /api/health/ready is the same as /api/health', async () => {
    readiness = 'ready';
    const ready = await get('/api/health');
    expect(ready).toEqual({
      status: 200,
      retryAfter: null,
      body: { status: 'ok', database: 'ok', engine: 'ok', version: '1.2.3' },
    });
    expect(await get('/api/health/ready')).toEqual(ready);
    readiness = 'ready';
    engine = 'external';
    expect((await get('/api/health')).status).toBe(200);
  });

  test('a lost database makes readiness `unavailable`, but the process is still alive', async () => {
    readiness = 'ready';
    databaseUp = false;
    expect(await get('/api/health')).toMatchObject({
      status: 503,
      body: { status: 'unavailable', database: 'down' },
    });
    expect((await get('/api/health/live')).status).toBe(200);
  });

  test('while stopping, readiness is 503 `stopping`', async () => {
    readiness = 'stopping';
    engine = 'stopping';
    expect(await get('/api/health')).toMatchObject({ status: 503, body: { status: 'stopping' } });
  });

  test('before the app exists, the bare server answers liveness 200, readiness `starting`, anything else 503', async () => {
    const bare = await serve(startingHandler('1.2.3'));
    try {
      const live = await fetch(`${bare.base}/api/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok', version: '1.2.3' });
      const ready = await fetch(`${bare.base}/api/health?probe=1`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'starting' });
      const other = await fetch(`${bare.base}/api/customers`);
      expect(other.status).toBe(503);
      expect(other.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      await bare.close();
    }
  });
});
