import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { seedDemoUsers } from '../../db/seeds/demo-users.js';
import { MAX_IMPORT_LINES } from '../../domain/metering/handheld-import.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../platform/config.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';

/**
 * Server hardening (issue #14): the guards cannot be sidestepped by spelling /api differently, /v2 bodies obey the
 * engine's own limit, oversize bodies are 413 problems, security headers on the web app, Secure cookies behind a
 * TLS-terminating proxy (TRUST_PROXY), and a handheld file has a line cap.
 */

const FOREIGN = 'http://evil.example';
const credentials = JSON.stringify({ username: 'clerk', password: 'demo' });

describe('with the embedded engine', () => {
  let aq: TestAquaflow;
  let base: string;
  let clerk: ApiSession;
  let auditor: ApiSession;

  beforeAll(async () => {
    aq = await startTestAquaflow({ demoAccounts: 0 });
    base = aq.app.url;
    clerk = await aq.signIn('clerk');
    auditor = await aq.signIn('auditor');
  }, 120000);
  afterAll(() => aq?.stop());

  test.each(['/API/session', '/Api/session', '/api/SESSION', '/API/SESSION/'])(
    'signing in at %s from a foreign origin is refused',
    async (p) => {
      const res = await fetch(`${base}${p}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: FOREIGN },
        body: credentials,
      });
      expect([403, 404]).toContain(res.status);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    },
  );

  test.each(['/Api/customers/books', '/API/CUSTOMERS/BOOKS', '/api/Customers/books', '/api/customers/BOOKS'])(
    'a write to %s with the session cookie is refused without our Origin and the CSRF header',
    async (p) => {
      const body = JSON.stringify({ code: 'X1', name: 'forged' });
      const foreign = await fetch(`${base}${p}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Cookie: clerk.cookie,
          Origin: FOREIGN,
          'X-Aquaflow-Request': '1',
        },
        body,
      });
      expect([403, 404]).toContain(foreign.status);
      const noHeader = await fetch(`${base}${p}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: clerk.cookie },
        body,
      });
      expect([403, 404]).toContain(noHeader.status);
      expect(await aq.db.knex('cis.meter_books').where({ code: 'X1' }).first()).toBeUndefined();
    },
  );

  test('auditors cannot write through another spelling of /api, nor read through one', async () => {
    for (const p of ['/API/customers/books', '/api/CUSTOMERS/books']) {
      const r = await fetch(`${base}${p}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Cookie: auditor.cookie, 'X-Aquaflow-Request': '1' },
        body: JSON.stringify({ code: 'X2', name: 'by auditor' }),
      });
      expect([403, 404]).toContain(r.status);
    }
    // The canonical spelling still works for what auditors may do.
    expect((await auditor.call('GET', '/api/customers/search?q=1')).status).toBe(200);
    expect((await fetch(`${base}/API/customers/search?q=1`, { headers: { Cookie: auditor.cookie } })).status).toBe(404);
  });

  test('/V2 is not the engine', async () => {
    const res = await fetch(`${base}/V2/topology`, {
      headers: { Authorization: `Basic ${Buffer.from('manager:demo').toString('base64')}` },
    });
    expect(res.status).toBe(404);
  });

  test("/v2 bodies are read by the engine, so its 4 MB limit holds (the app's 10 MB parser is not in the way)", async () => {
    const auth = `Basic ${Buffer.from('manager:demo').toString('base64')}`;
    const create = (size: number) =>
      fetch(`${base}/v2/process-instances`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: auth },
        body: JSON.stringify({ processDefinitionId: 'service-request', variables: { blob: 'x'.repeat(size) } }),
      });
    const big = await create(5 * 1024 * 1024);
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const small = await create(1024);
    expect(small.status).toBe(200);
  });

  test('oversize /api bodies are 413 problem documents, not 500', async () => {
    const huge = 'x'.repeat(11 * 1024 * 1024);
    const asJson = await fetch(`${base}/api/customers/books`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: clerk.cookie, 'X-Aquaflow-Request': '1' },
      body: JSON.stringify({ code: 'X3', name: huge }),
    });
    expect(asJson.status).toBe(413);
    expect(asJson.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await asJson.json()).toMatchObject({ status: 413, title: 'Payload Too Large' });
    const asForm = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `username=${huge}&password=x`,
    });
    expect(asForm.status).toBe(413);
    expect(asForm.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  describe('handheld import line cap', () => {
    const file = (lines: number) =>
      Buffer.from(
        ['meter_serial,reading', ...Array.from({ length: lines }, (_, i) => `NOPE${i},1`)].join('\n'),
      ).toString('base64');

    test(`a file of more than ${MAX_IMPORT_LINES} lines is refused with a problem naming the limit; nothing is written`, async () => {
      const before = {
        imports: Number((await aq.db.knex('cis.reading_imports').count({ n: '*' }))[0].n),
        audit: Number((await aq.db.knex('cis.audit_log').count({ n: '*' }))[0].n),
      };
      const res = await clerk.call('POST', '/api/metering/imports', {
        period: '2026-01',
        fileName: 'big.csv',
        contentBase64: file(MAX_IMPORT_LINES + 1),
      });
      expect([413, 422]).toContain(res.status);
      expect(res.body).toMatchObject({ field: 'contentBase64', code: 'too_many_lines' });
      expect(String(res.body.detail)).toContain(MAX_IMPORT_LINES.toLocaleString('en-US'));
      expect(Number((await aq.db.knex('cis.reading_imports').count({ n: '*' }))[0].n)).toBe(before.imports);
      expect(Number((await aq.db.knex('cis.audit_log').count({ n: '*' }))[0].n)).toBe(before.audit);
    });

    test('a file of exactly the limit is previewed', async () => {
      const res = await clerk.call('POST', '/api/metering/imports', {
        period: '2026-01',
        fileName: 'full.csv',
        contentBase64: file(MAX_IMPORT_LINES),
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'previewed', counts: { lines: MAX_IMPORT_LINES } });
    });
  });
});

describe('headers and proxies (app only)', () => {
  let db: TestDatabase;
  let webDist: string;
  const servers: Array<() => Promise<void>> = [];
  const logger = pino({ level: 'silent' });

  async function serve(env: Record<string, string>): Promise<string> {
    const config = loadConfig({ CAMUNDA_REST_ADDRESS: 'http://camunda.example:8080', ...env });
    const app = createApp({ config, logger, knex: db.knex, version: '1', engineState: () => 'external', webDist });
    const server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(() => new Promise((r) => server.close(() => r())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    db = await freshDatabase();
    await seedDemoUsers(db.knex);
    webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-dist-'));
    fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Aquaflow</title><div id="app"></div>');
  });
  afterAll(async () => {
    for (const close of servers) await close();
    await db.drop();
    fs.rmSync(webDist, { recursive: true, force: true });
  });

  test('the web app carries a Content-Security-Policy that forbids framing, and nosniff and a referrer policy', async () => {
    const base = await serve({});
    const page = await fetch(`${base}/inbox`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'"); // no inline scripts, no eval
    expect(directives.get('object-src')).toBe("'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    // API answers are not documents, but they are never sniffed either.
    const api = await fetch(`${base}/api/health`);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('referrer-policy')).toBe('same-origin');
  });

  const signIn = (base: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: credentials,
    });

  test('by default X-Forwarded-Proto is not trusted: no Secure cookie over plain HTTP', async () => {
    const base = await serve({});
    const res = await signIn(base, { 'X-Forwarded-Proto': 'https' });
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).not.toMatch(/;\s*secure/i);
  });

  test('with TRUST_PROXY=true, behind a TLS-terminating proxy the session cookie is Secure and its origin counts', async () => {
    const base = await serve({ TRUST_PROXY: 'true' });
    const proxied = {
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Host': 'water.example',
      'X-Forwarded-For': '10.0.0.9',
    };
    const res = await signIn(base, { ...proxied, Origin: 'https://water.example' });
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toMatch(/;\s*secure/i);
    // A plain-HTTP request (no proxy in front) still gets a cookie, without Secure.
    const direct = await signIn(base);
    expect(direct.status).toBe(201);
    expect(direct.headers.get('set-cookie')).not.toMatch(/;\s*secure/i);
    // The browser's https origin through the proxy is our own origin; another one is still foreign.
    const foreign = await signIn(base, { ...proxied, Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
  });
});
