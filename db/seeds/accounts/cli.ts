// `npm run seed -- --accounts N [--seed S] [--book-size B]`: adds N generated accounts to Aquaflow's database —
// DATABASE_URL when set, else the embedded PostgreSQL under DATA_DIR/pg (as `npm start` uses; stop the server first).
import path from 'node:path';
import { parseArgs } from 'node:util';
import getPort from 'get-port';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../../embedded.js';
import { createKnex } from '../../index.js';
import { migrateLatest } from '../../migrate.js';
import { seedDemoAccounts } from './generate.js';

const DATABASE_NAME = 'aquaflow'; // the name server/lifecycle.ts gives the embedded database

function fail(message: string): never {
  process.stderr.write(`seed: ${message}\nUsage: npm run seed -- --accounts N [--seed S] [--book-size B]\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: { accounts: { type: 'string' }, seed: { type: 'string' }, 'book-size': { type: 'string' } },
  }));
} catch (err) {
  fail((err as Error).message.split('\n')[0]);
}
const int = (name: string, raw: string | undefined, fallback: number) => {
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, got ${raw}`);
  return n;
};
const count = int('accounts', values.accounts, 3000);
const seed = int('seed', values.seed, 20240601);
const bookSize = int('book-size', values['book-size'], 432);

const log = (m: string) => process.stderr.write(`seed: ${m}\n`);
let pg: EmbeddedDatabase | undefined;
let url = process.env.DATABASE_URL;
if (!url) {
  const dataDir = path.join(path.resolve(process.env.DATA_DIR || './data'), 'pg');
  const port = process.env.PG_PORT ? Number(process.env.PG_PORT) : await getPort({ host: '127.0.0.1' });
  log(`starting embedded PostgreSQL in ${dataDir}`);
  pg = await startEmbeddedPostgres({ dataDir, port });
  url = await ensureDatabase(pg.url, DATABASE_NAME);
}
const knex = createKnex(url, { max: 2 });
let code = 0;
try {
  await migrateLatest(knex);
  const started = Date.now();
  const result = await seedDemoAccounts(knex, { count, seed, bookSize, log });
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (err) {
  log(`failed: ${(err as Error).stack ?? err}`);
  code = 1;
} finally {
  await knex.destroy();
  await pg?.stop();
}
process.exit(code);
