import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Koa from 'koa';
import pino from 'pino';
import { accessLog, requestContext } from './request-context.js';

/** An app logging at `level` into `lines`; /fail answers 500. */
async function serve(level: string, lines: Array<Record<string, unknown>>) {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const app = new Koa();
  app.use(requestContext(pino({ level }, sink)));
  app.use(accessLog());
  app.use((ctx) => {
    ctx.status = ctx.path === '/fail' ? 500 : 200;
    ctx.body = 'x';
  });
  const server = http.createServer(app.callback()).listen(0);
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { get: (p: string) => fetch(base + p).then((r) => r.status), close: () => server.close() };
}

test('request lines only at debug; a 5xx is logged as an error at info', async () => {
  const atInfo: Array<Record<string, unknown>> = [];
  const info = await serve('info', atInfo);
  expect(await info.get('/inbox')).toBe(200);
  expect(await info.get('/fail')).toBe(500);
  info.close();
  expect(atInfo.map((l) => [l.msg, l.level, l.url])).toEqual([['request', 50, '/fail']]);

  const atDebug: Array<Record<string, unknown>> = [];
  const debug = await serve('debug', atDebug);
  expect(await debug.get('/inbox')).toBe(200);
  debug.close();
  expect(atDebug).toEqual([expect.objectContaining({ msg: 'request', level: 20, url: '/inbox', status: 200 })]);
});
