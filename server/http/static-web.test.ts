import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Koa from 'koa';
import { staticWeb } from './static-web.js';

// A built web app as web/vite.config.ts leaves it: text files with their .br and .gz beside them.
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-dist-'));
const script = 'console.log("收费台");'.repeat(200);
fs.mkdirSync(path.join(dist, 'assets'));
fs.writeFileSync(path.join(dist, 'assets', 'index-abc.js'), script);
fs.writeFileSync(path.join(dist, 'assets', 'index-abc.js.br'), zlib.brotliCompressSync(script));
fs.writeFileSync(path.join(dist, 'assets', 'index-abc.js.gz'), zlib.gzipSync(script));
fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Aquaflow</title>');

let server: http.Server;
let base: string;
beforeAll(async () => {
  const app = new Koa();
  app.use(staticWeb(dist));
  server = http.createServer(app.callback()).listen(0);
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

/** The raw answer (no decoding by the client), asking for `encoding`. */
const get = (url: string, encoding: string) =>
  new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(base + url, { headers: { 'accept-encoding': encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });

test('a browser that accepts brotli gets the brotli file, else gzip, else the plain one; the type is the script’s', async () => {
  const br = await get('/assets/index-abc.js', 'gzip, deflate, br');
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.headers['content-type']).toMatch(/javascript/);
  expect(br.headers.vary).toMatch(/Accept-Encoding/);
  expect(zlib.brotliDecompressSync(br.body).toString()).toBe(script);
  expect(br.body.length).toBeLessThan(Buffer.byteLength(script) / 10);

  const gz = await get('/assets/index-abc.js', 'gzip');
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(zlib.gunzipSync(gz.body).toString()).toBe(script);

  const plain = await get('/assets/index-abc.js', 'identity');
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body.toString()).toBe(script);
});
