/**
 * A stand-alone engine process for crash tests: `tsx test/support/engine-process.ts` with DATABASE_URL and
 * PORT set; prints `ready <port>` once it listens. The test kills it with SIGKILL.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createEngine } from '../../engine/index.js';

const engine = createEngine({ databaseUrl: process.env.DATABASE_URL!, auth: 'none', poolSize: 8 });
await engine.start();
const app = new Koa();
app.use(engine.middleware);
const server = http.createServer(app.callback());
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
