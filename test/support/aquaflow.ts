import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { loadConfig } from '../../platform/config.js';
import { startAquaflow, type RunningAquaflow, type StartOptions } from '../../server/lifecycle.js';
import { freshDatabase, type TestDatabase } from './db.js';

export interface TestAquaflow {
  db: TestDatabase;
  app: RunningAquaflow;
  /** The official client, signed in as a demo user (Basic auth), strict validation. */
  client(username?: string): ReturnType<typeof createCamundaClient>;
  /** An /api session for a demo user: `call(method, path, body?)` with the cookie and the CSRF header. */
  signIn(username: string, password?: string): Promise<ApiSession>;
  stop(): Promise<void>;
}

export interface ApiSession {
  cookie: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
}

/** Aquaflow as `npm start` runs it (embedded engine, demo users, processes/ deployed) on a fresh database. */
export async function startTestAquaflow(
  opts: Partial<StartOptions> = {},
  /** Configuration variables beyond the test defaults (as the environment would give them). */
  env: Record<string, string> = {},
): Promise<TestAquaflow> {
  const db = await freshDatabase();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    DATA_DIR: join(tmpdir(), `aquaflow-${db.name}`), // files the app writes (e-invoices), one folder per test app
    LOG_LEVEL: 'silent',
    ENGINE_CLOCK_CONTROLLED: 'true', // scenario tests pin the clock, as tests on Camunda do
    ...env,
  });
  const app = await startAquaflow(config, { logger: pino({ level: 'silent' }), buildWeb: false, workers: [], ...opts });
  return {
    db,
    app,
    client: (username = 'manager') =>
      createCamundaClient({
        config: {
          CAMUNDA_REST_ADDRESS: app.url,
          CAMUNDA_AUTH_STRATEGY: 'BASIC',
          CAMUNDA_BASIC_AUTH_USERNAME: username,
          CAMUNDA_BASIC_AUTH_PASSWORD: 'demo',
          CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical',
          CAMUNDA_SDK_LOG_LEVEL: 'silent',
        } as never,
      }),
    async signIn(username, password = 'demo') {
      const res = await fetch(`${app.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 201) throw new Error(`sign-in of ${username} failed: ${res.status}`);
      const cookie = res.headers.get('set-cookie')!.split(';')[0];
      return {
        cookie,
        async call(method, path, body) {
          const r = await fetch(`${app.url}${path}`, {
            method,
            headers: {
              Cookie: cookie,
              'X-Aquaflow-Request': '1',
              ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await r.text();
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = { text };
          }
          return { status: r.status, body: parsed };
        },
      };
    },
    async stop() {
      await app.stop();
      await db.drop();
    },
  };
}
