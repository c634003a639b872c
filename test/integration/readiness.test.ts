import fs from 'node:fs';
import path from 'node:path';
import getPort from 'get-port';
import pino from 'pino';
import { processFiles } from '../../server/camunda/deploy-processes.js';
import { loadConfig } from '../../platform/config.js';
import { ROOT_DIR, startAquaflow, type RunningAquaflow } from '../../server/lifecycle.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

/**
 * Readiness (`GET /api/health`) says ok only once the database is migrated, every model in processes/ is deployed
 * and the workers run; liveness (`GET /api/health/live`) answers as soon as the HTTP server does.
 */

const basic = `Basic ${Buffer.from('manager:demo').toString('base64')}`;

/** The executable processes of processes/, by bpmnProcessId. */
function processIds(): string[] {
  const ids = new Set<string>();
  for (const file of processFiles(path.join(ROOT_DIR, 'processes')).filter((f) => f.endsWith('.bpmn'))) {
    const xml = fs.readFileSync(file, 'utf8');
    for (const m of xml.matchAll(/<(?:bpmn:)?process\b[^>]*>/g)) {
      const id = /\bid="([^"]+)"/.exec(m[0])?.[1];
      if (id && !/isExecutable="false"/.test(m[0])) ids.add(id);
    }
  }
  return [...ids].sort();
}

async function deployedIds(base: string): Promise<string[]> {
  const res = await fetch(`${base}/v2/process-definitions/search`, {
    method: 'POST',
    headers: { Authorization: basic, 'Content-Type': 'application/json' },
    body: JSON.stringify({ page: { limit: 1000 } }),
  });
  if (res.status !== 200) return [`(search answered ${res.status})`];
  const body = (await res.json()) as { items: Array<{ processDefinitionId: string }> };
  return [...new Set(body.items.map((d) => d.processDefinitionId))].sort();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('readiness during start-up', () => {
  let db: TestDatabase;
  let running: RunningAquaflow | undefined;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await running?.stop();
    await db.drop();
  });

  test('whenever /api/health says ok, every process of processes/ is deployed; liveness answers early', async () => {
    const expected = processIds();
    expect(expected).toEqual(expect.arrayContaining(['repair-ticket', 'account-opening', 'bill-run']));
    const port = await getPort({ host: '127.0.0.1' });
    const base = `http://127.0.0.1:${port}`;
    const config = loadConfig({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: db.url, LOG_LEVEL: 'silent' });

    let started = false;
    const start = startAquaflow(config, { logger: pino({ level: 'silent' }), buildWeb: false, demoAccounts: 0 }).then(
      (app) => {
        started = true;
        running = app;
        return app;
      },
    );

    const seen = { starting: 0, ok: 0, liveEarly: 0 };
    const wrong: string[] = [];
    // Poll until start-up is over and a few more answers came in.
    for (let afterStart = 0; afterStart < 3;) {
      if (started) afterStart++;
      const live = await fetch(`${base}/api/health/live`).catch(() => undefined);
      const res = await fetch(`${base}/api/health`).catch(() => undefined);
      if (res) {
        const body = (await res.json()) as { status: string };
        if (res.status === 200) {
          expect(body.status).toBe('ok');
          seen.ok++;
          const deployed = await deployedIds(base);
          const missing = expected.filter((id) => !deployed.includes(id));
          if (missing.length) wrong.push(`health ok while not deployed: ${missing.join(', ')}`);
        } else {
          expect(res.status).toBe(503);
          expect(res.headers.get('retry-after')).toBeTruthy();
          if (!started) expect(body.status).toBe('starting');
          seen.starting++;
          if (live?.status === 200) seen.liveEarly++;
        }
      }
      await sleep(5);
    }
    await start;
    expect(wrong).toEqual([]);
    expect(seen.starting).toBeGreaterThan(0);
    expect(seen.liveEarly).toBeGreaterThan(0); // alive while not yet ready
    expect(seen.ok).toBeGreaterThan(0);

    const ready = await fetch(`${base}/api/health`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', database: 'ok', engine: 'ok' });
    const live = await fetch(`${base}/api/health/live`);
    expect(live.status).toBe(200);
    expect(live.headers.get('cache-control')).toBe('no-store');
    expect(await live.json()).toMatchObject({ status: 'ok' });
  });
});
