import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import Koa from 'koa';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { createEngine, type Engine, type EngineOptions } from '../../engine/index.js';
import { freshDatabase, type TestDatabase } from './db.js';

export type CamundaClient = ReturnType<typeof createCamundaClient>;

export interface TestEngine {
  db: TestDatabase;
  url: string;
  client: CamundaClient;
  /** Stops the engine and starts a new one on the same database and port (restart mid-flow). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Deploys fixture files (paths relative to test/processes/fixtures). */
  deploy(...files: string[]): ReturnType<CamundaClient['createDeployment']>;
}

export interface TestEngineOptions {
  /** Basic auth with these credentials (default: auth NONE); the user is an admin and a worker identity. */
  basic?: { user: string; password: string };
  /** The clock endpoints (default true: scenario tests pin the clock). */
  clockControlled?: boolean;
  /** Another engine's database (a second engine process on one database); left for its owner to drop. */
  database?: TestDatabase;
  /** Builds the engine instead of createEngine (an engine with other runtime options). */
  createEngine?: (options: EngineOptions) => Engine;
}

const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../processes/fixtures');

export function fixtureFile(name: string): File {
  const content = fs.readFileSync(path.join(FIXTURES, name));
  return new File([content], path.basename(name), {
    type: name.endsWith('.form') ? 'application/json' : 'application/xml',
  });
}

/** Fresh database + embedded engine on 127.0.0.1:<free port> + the official client in strict validation. */
export async function startTestEngine(opts: TestEngineOptions = {}): Promise<TestEngine> {
  const db = opts.database ?? (await freshDatabase());
  let engine: Engine;
  let server: http.Server;
  const sockets = new Set<import('node:net').Socket>();

  const boot = async (port = 0) => {
    engine = (opts.createEngine ?? createEngine)({
      databaseUrl: db.url,
      auth: opts.basic ? 'basic' : 'none',
      authenticate: opts.basic
        ? async (u, p) =>
            u === opts.basic!.user && p === opts.basic!.password
              ? { username: u, roles: ['admin', 'worker'], service: true }
              : null
        : undefined,
      clockControlled: opts.clockControlled ?? true,
      poolSize: 8,
    });
    await engine.start();
    const app = new Koa();
    app.use(engine.middleware);
    server = http.createServer(app.callback());
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const halt = async () => {
    await engine.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  };

  const port = await boot();
  const url = `http://127.0.0.1:${port}`;
  const client = createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: url,
      CAMUNDA_AUTH_STRATEGY: opts.basic ? 'BASIC' : 'NONE',
      ...(opts.basic
        ? { CAMUNDA_BASIC_AUTH_USERNAME: opts.basic.user, CAMUNDA_BASIC_AUTH_PASSWORD: opts.basic.password }
        : {}),
      CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
      CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
    } as never,
  });

  return {
    db,
    url,
    client,
    async restart() {
      await halt();
      await boot(port);
    },
    async stop() {
      await halt();
      if (!opts.database) await db.drop();
    },
    deploy(...files: string[]) {
      return client.createDeployment({ resources: files.map(fixtureFile) });
    },
  };
}

/** The problem document a rejected client call carried; fails the test when the call succeeded. */
export async function rejection(p: Promise<unknown>): Promise<{ status?: number; title?: string; detail?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { status?: number; title?: string; detail?: string };
  }
  throw new Error('expected a rejection');
}
