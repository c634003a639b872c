import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { customersRouter } from '../../server/api/customers.js';
import { problemDocuments } from '../../server/http/problem.js';
import { AccountsService } from '../../domain/accounts/service.js';
import { clerk, openInput } from './accounts-fixtures.js';

let db: TestDatabase;
let server: http.Server;
let base: string;

// The router's contract with the app: the session middleware puts `{ username, roles }` on ctx.state.user
// (here taken from test headers), and the app's problemDocuments() middleware renders the errors.
function app(knex: TestDatabase['knex']): Koa {
  const a = new Koa();
  a.use(problemDocuments());
  a.use(bodyParser());
  a.use(async (ctx, next) => {
    const who = ctx.get('x-test-user');
    if (who) ctx.state.user = { username: who, roles: ctx.get('x-test-roles').split(',') };
    await next();
  });
  const r = customersRouter(knex);
  a.use(r.routes()).use(r.allowedMethods());
  return a;
}

async function call(method: string, path: string, body?: unknown, roles = 'clerk') {
  const res = await fetch(base + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(roles ? { 'x-test-user': 'clerk.zhao', 'x-test-roles': roles } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  db = await freshDatabase();
  await new AccountsService(db.knex).createBook({ code: 'B001', name: '一本' }, clerk);
  server = http.createServer(app(db.knex).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.drop();
});

test('open an account over HTTP, find it, read its 360 with the signed-in user as the audit actor', async () => {
  const opened = await call('POST', '/api/customers/accounts', openInput());
  expect(opened.status).toBe(201);
  const accountNo = opened.body.accountNo as string;

  const found = await call('GET', '/api/customers/search?q=' + encodeURIComponent('幸福小区'));
  expect(found.status).toBe(200);
  expect(found.body.items).toEqual([expect.objectContaining({ accountNo, customerName: '张三' })]);

  const view = await call('GET', `/api/customers/accounts/${accountNo}`, undefined, 'auditor');
  expect(view.status).toBe(200);
  expect(view.body).toMatchObject({ account: { accountNo }, balanceFen: 0 });
  expect((view.body.history as Array<{ actor: string }>).every((h) => h.actor === 'clerk.zhao')).toBe(true);
});

test('refusals arrive as problem documents: 422 naming the field, 409, 404; auditors cannot change data', async () => {
  const bad = await call(
    'POST',
    '/api/customers/accounts',
    openInput({ customer: { idDocNumber: '110105199001010011', name: '王' } }),
  );
  expect(bad).toMatchObject({ status: 422, body: { field: 'customer.idDocNumber' } });
  const first = await call(
    'POST',
    '/api/customers/accounts',
    openInput({ accountNo: '77000001', meter: { serial: 'API-2' } }),
  );
  expect(first.status).toBe(201);
  const dup = await call(
    'POST',
    '/api/customers/accounts',
    openInput({ accountNo: '77000001', meter: { serial: 'API-3' } }),
  );
  expect(dup).toMatchObject({ status: 409, body: { field: 'accountNo' } });
  expect((await call('POST', '/api/customers/accounts/77000001/close', {})).status).toBe(200);
  expect((await call('POST', '/api/customers/accounts/77000001/close', {})).status).toBe(409);
  expect((await call('GET', '/api/customers/accounts/NOPE')).status).toBe(404);
  expect(dup.body).toMatchObject({ type: 'about:blank', title: 'Conflict', code: 'duplicate' });
  expect((await call('GET', '/api/customers/search?q=')).body).toMatchObject({ field: 'q' });
  expect((await call('POST', '/api/customers/accounts/77000001/certificate-reissue', {}, 'auditor')).status).toBe(403);
  expect((await call('GET', '/api/customers/search?q=x', undefined, '')).status).toBe(401);
});
