import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { meteringRouter } from '../../server/api/metering.js';
import { problemDocuments } from '../../server/http/problem.js';
import { AccountsService } from '../../domain/accounts/service.js';
import { buildCjt188, toBcd } from '../../domain/metering/cjt188.js';
import { openBook } from './metering-fixtures.js';

let db: TestDatabase;
let server: http.Server;
let base: string;

// As in accounts-api.test.ts: the session middleware's contract (ctx.state.user) played by test headers.
function app(knex: TestDatabase['knex']): Koa {
  const a = new Koa();
  a.use(problemDocuments());
  a.use(bodyParser());
  a.use(async (ctx, next) => {
    const who = ctx.get('x-test-user');
    if (who) ctx.state.user = { username: who, roles: [who] };
    await next();
  });
  const r = meteringRouter(knex);
  a.use(r.routes()).use(r.allowedMethods());
  return a;
}

async function call(method: string, path: string, body?: unknown, user = 'reader') {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(user ? { 'x-test-user': user } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

let accounts: Array<{ accountNo: string; serial: string | null }>;
const ADDRESS = '00002020120218';

beforeAll(async () => {
  db = await freshDatabase();
  accounts = await openBook(db.knex, 'API1', 3, { initialReading: '1' });
  // A remote meter whose serial is its CJ/T 188 address without the leading zeros.
  await new AccountsService(db.knex).replaceMeter(
    accounts[2].accountNo,
    { finalReading: '1', meter: { serial: ADDRESS.replace(/^0+/, ''), kind: 'remote', initialReading: '1' } },
    { actor: 'test' },
  );
  server = http.createServer(app(db.knex).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.drop();
});

const frame = (flow: string, cs?: string) => {
  const f = buildCjt188(0x10, ADDRESS, 0x81, [0x90, 0x1f, 0x01, ...toBcd(flow, 8), 0x2c]);
  return cs ? f.replace(/ \w\w 16$/, ` ${cs} 16`) : f;
};

test('hand entry: reader records, the sheet shows it in book order; clerk confirms a doubtful one', async () => {
  const [a, b] = accounts;
  const ok = await call('POST', '/api/metering/readings', { accountNo: a.accountNo, reading: '11', period: '2026-11' });
  expect(ok).toMatchObject({ status: 201, body: { status: 'accepted', consumption: '10.000', source: 'manual' } });
  const low = await call('POST', '/api/metering/readings', {
    meterSerial: b.serial,
    reading: '0.5',
    period: '2026-11',
  });
  expect(low.body).toMatchObject({ status: 'pending', failedRule: 'negative_consumption' });

  const sheet = await call('GET', '/api/metering/books/API1/sheet?period=2026-11', undefined, 'auditor');
  expect(sheet.status).toBe(200);
  const lines = sheet.body.lines as Array<Record<string, unknown>>;
  expect(lines.map((l) => l.accountNo)).toEqual(accounts.map((x) => x.accountNo));
  expect(lines[0]).toMatchObject({ previousReading: '1.000', current: { reading: '11.000', status: 'accepted' } });
  expect(lines[1]).toMatchObject({ current: { failedRule: 'negative_consumption' } });

  expect((await call('POST', `/api/metering/readings/${low.body.id}/confirm`)).status).toBe(403);
  const confirmed = await call('POST', `/api/metering/readings/${low.body.id}/confirm`, {}, 'clerk');
  expect(confirmed.body).toMatchObject({ status: 'accepted' });
  const history = await call('GET', `/api/metering/accounts/${b.accountNo}/readings`, undefined, 'auditor');
  expect(history.body.items).toEqual([expect.objectContaining({ id: low.body.id, status: 'accepted' })]);
});

test('bad input: 422 problem documents naming the field; auditors write nothing', async () => {
  const bad = await call('POST', '/api/metering/readings', { accountNo: accounts[0].accountNo, reading: 'abc' });
  expect(bad).toMatchObject({ status: 422, body: { field: 'reading', code: 'invalid' } });
  const unknown = await call('POST', '/api/metering/readings', { accountNo: 'NOPE', reading: '1' });
  expect(unknown).toMatchObject({ status: 422, body: { field: 'accountNo', code: 'unknown_account' } });
  const auditor = await call(
    'POST',
    '/api/metering/readings',
    { accountNo: accounts[0].accountNo, reading: '1' },
    'auditor',
  );
  expect(auditor.status).toBe(403);
  expect((await call('GET', '/api/metering/books/NONE/sheet?period=2026-11')).status).toBe(404);
  expect((await call('GET', '/api/metering/books/API1/sheet?period=11-2026')).body).toMatchObject({ field: 'period' });
  expect((await call('GET', '/api/metering/readings/1')).status).not.toBe(401);
  expect((await call('GET', '/api/metering/readings/1', undefined, '')).status).toBe(401);
});

test('remote: a CJ/T 188 frame records a reading once; broken frames are 422 naming frame and the problem', async () => {
  const first = await call('POST', '/api/metering/remote', { frame: frame('00001234'), period: '2026-11' });
  expect(first).toMatchObject({
    status: 201,
    body: { meterSerial: '2020120218', reading: '12.340', consumption: '11.340', source: 'remote' },
  });
  const again = await call('POST', '/api/metering/remote', { frame: frame('00001234'), period: '2026-11' });
  expect(again).toMatchObject({ status: 200, body: { id: first.body.id, duplicate: true } });

  const checksum = await call('POST', '/api/metering/remote', { frame: frame('00001300', '00') });
  expect(checksum).toMatchObject({ status: 422, body: { field: 'frame', code: 'bad_checksum' } });
  const truncated = await call('POST', '/api/metering/remote', { frame: frame('00001300').slice(0, 30) });
  expect(truncated.body).toMatchObject({ code: 'truncated' });
  const wrongStart = await call('POST', '/api/metering/remote', { frame: frame('00001300').replace('FE 68', 'FE 69') });
  expect(wrongStart.body).toMatchObject({ code: 'no_start' });
  const request = await call('POST', '/api/metering/remote', {
    frame: buildCjt188(0x10, ADDRESS, 0x01, [0x90, 0x1f, 0x01]),
  });
  expect(request.body).toMatchObject({ code: 'no_metering_data' });
  const other = buildCjt188(0x10, '99999999999999', 0x81, [0x90, 0x1f, 0x01, ...toBcd('1', 8), 0x2c]);
  expect((await call('POST', '/api/metering/remote', { frame: other })).body).toMatchObject({ code: 'unknown_meter' });
  expect((await call('POST', '/api/metering/remote', {})).body).toMatchObject({ field: 'frame' });
  expect((await call('POST', '/api/metering/remote', { frame: frame('1') }, 'cashier')).status).toBe(403);
  expect(await db.knex('cis.readings').where({ source: 'remote' })).toHaveLength(1);
});

test('rules: everyone in metering reads them, only managers change them', async () => {
  const list = await call('GET', '/api/metering/rules');
  expect((list.body.items as Array<{ code: string }>).map((r) => r.code)).toContain('high_consumption');
  expect((await call('PUT', '/api/metering/rules/high_consumption', { params: { factor: 4 } }, 'clerk')).status).toBe(
    403,
  );
  const changed = await call('PUT', '/api/metering/rules/high_consumption', { params: { factor: 4 } }, 'manager');
  expect(changed.body).toMatchObject({ params: { factor: 4, lookback: 6 } });
  const bad = await call('PUT', '/api/metering/rules/high_consumption', { params: { factor: -1 } }, 'manager');
  expect(bad).toMatchObject({ status: 422, body: { field: 'params.factor' } });
  expect((await call('PUT', '/api/metering/rules/nope', {}, 'manager')).status).toBe(404);
});

test('handheld over HTTP: export (GBK), upload → preview → confirm; only writers upload', async () => {
  const res = await fetch(`${base}/api/metering/books/API1/export?period=2026-12&encoding=gbk`, {
    headers: { 'x-test-user': 'reader' },
  });
  expect(res.headers.get('content-type')).toBe('text/csv; charset=gbk');
  expect(res.headers.get('content-disposition')).toContain('API1-2026-12.csv');
  const exported = Buffer.from(await res.arrayBuffer());
  const body = {
    period: '2026-12',
    bookCode: 'API1',
    fileName: 'back.csv',
    contentBase64: exported.toString('base64'),
  };
  // The exported file itself lacks the reading column: rejected as a whole.
  const rejected = await call('POST', '/api/metering/imports', body);
  expect(rejected).toMatchObject({ status: 201, body: { status: 'rejected', encoding: 'gbk' } });
  const csv = `meter_serial,reading\n${accounts[0].serial},20\n`;
  const preview = await call('POST', '/api/metering/imports', {
    ...body,
    contentBase64: Buffer.from(csv).toString('base64'),
  });
  expect(preview.body).toMatchObject({ status: 'previewed', counts: { good: 1 } });
  expect((await call('POST', `/api/metering/imports/${preview.body.importId}/confirm`, {}, 'auditor')).status).toBe(
    403,
  );
  const done = await call('POST', `/api/metering/imports/${preview.body.importId}/confirm`, {});
  expect(done).toMatchObject({ status: 200, body: { status: 'imported', recorded: 1 } });
  const again = await call('GET', `/api/metering/imports/${preview.body.importId}`, undefined, 'auditor');
  expect(again.body).toMatchObject({
    status: 'imported',
    lines: [expect.objectContaining({ readingId: expect.any(Number) })],
  });
  const bad = await call('POST', '/api/metering/imports', { ...body, contentBase64: '***' });
  expect(bad).toMatchObject({ status: 422, body: { field: 'contentBase64' } });
  expect((await call('GET', '/api/metering/imports/abc')).status).toBe(404);
});

test('remote batch: a concentrator sends several frames, answered one by one', async () => {
  const frames = [frame('00002000'), frame('00002000'), frame('00002100', '00'), 'nonsense'];
  const r = await call('POST', '/api/metering/remote', { frames, period: '2027-01' });
  expect(r.status).toBe(200);
  expect((r.body.results as Array<Record<string, unknown>>).map((x) => [x.index, x.status, x.code])).toEqual([
    [0, 'recorded', undefined],
    [1, 'duplicate', undefined],
    [2, 'refused', 'bad_checksum'],
    [3, 'refused', 'not_hex'],
  ]);
  expect((await call('POST', '/api/metering/remote', { frames: [] })).body).toMatchObject({ field: 'frames' });
});
