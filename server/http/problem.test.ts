import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { problem, problemDocuments } from './problem.js';

// Response bodies in tests are whatever the server sent; assertions check their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: Response): Promise<any> => res.json();

describe('problem documents', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    const app = new Koa();
    app.use(problemDocuments());
    app.use(async (ctx) => {
      const status = Number(ctx.query.status);
      switch (ctx.path) {
        case '/problem':
          throw problem(status, undefined, `detail for ${status}`, { field: 'name' });
        case '/crash':
          throw new Error('secret internals at /srv/app.ts:42');
        case '/zod':
          z.object({ amount: z.number().int() }).parse({ amount: 'ten' });
          break;
        case '/refusal':
          throw new DomainError(409, 'case_open', 'new-connection case YW-20261207-0001 is open', 'premise', {
            caseNo: 'YW-20261207-0001',
          });
        case '/koa-throw':
          ctx.throw(403, 'not yours');
      }
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  test.each([400, 401, 403, 404, 409, 422])('problem(%i) answers with that status as RFC 9457 JSON', async (status) => {
    const res = await fetch(`${base}/problem?status=${status}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json(res)).toEqual({
      type: 'about:blank',
      title: http.STATUS_CODES[status],
      status,
      detail: `detail for ${status}`,
      instance: '/problem',
      field: 'name',
    });
  });

  test('a domain refusal carries its code, field and facts (params) beside the English detail', async () => {
    const res = await fetch(`${base}/refusal`);
    expect(res.status).toBe(409);
    expect(await json(res)).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'new-connection case YW-20261207-0001 is open',
      instance: '/refusal',
      code: 'case_open',
      field: 'premise',
      caseNo: 'YW-20261207-0001',
    });
  });

  test('an unexpected error is a bare 500: no message, no stack trace', async () => {
    const res = await fetch(`${base}/crash`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/secret|srv|\bat\b.*:\d+/);
    expect(JSON.parse(text)).toMatchObject({ status: 500, title: 'Internal Server Error' });
  });

  test('a validation error is a 400 naming the field', async () => {
    const res = await fetch(`${base}/zod`);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.detail).toMatch(/^amount: /);
    expect(body.errors).toEqual([{ field: 'amount', message: expect.any(String) }]);
  });

  test("Koa's ctx.throw becomes a problem document with its message", async () => {
    const res = await fetch(`${base}/koa-throw`);
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ status: 403, title: 'Forbidden', detail: 'not yours' });
  });
});
