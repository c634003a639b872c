// `npm run restore -- FILE [--force] [--pg-bin DIR]`: brings back a backup made by `npm run backup` into an empty
// database: a new (or empty) DATA_DIR for the embedded PostgreSQL, or an empty DATABASE_URL database. Aquaflow
// must not be running on it. The restore is one transaction: it happens completely or not at all. The next
// `npm start` carries on where the backup was taken: accounts, ledger, engine state and running instances.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ConfigError, loadConfig } from '../../platform/config.js';
import { archiveEntries, CliError, findTool, locate, oneLine, open, runTool, type Target } from './pg-tools.js';

const USAGE = `Usage: npm run restore -- FILE [--force] [--pg-bin DIR]

Restores a backup made by npm run backup into Aquaflow's database: the embedded one under DATA_DIR (created when
missing), or DATABASE_URL when set. Stop Aquaflow first. The database must be empty.

  --force        replace what the database holds now (it is dropped first)
  --pg-bin DIR   where pg_restore is (default: Debian's postgresql-client of the server's version,
                 /usr/lib/postgresql/<major>/bin, else PATH)
`;

function fail(message: string, code = 1): never {
  process.stderr.write(`restore: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: { force: { type: 'boolean' }, 'pg-bin': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
} catch (err) {
  fail(`${(err as Error).message.split('\n')[0]}\n${USAGE}`, 2);
}
if (args.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.positionals.length !== 1) fail(`name one backup file\n${USAGE}`, 2);
const file = path.resolve(args.positionals[0]);

/** Sessions of others on the database (an Aquaflow still running on DATABASE_URL) and what it holds. */
async function inspect(url: string): Promise<{ others: number; relations: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const others = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    const relations = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`,
    );
    return { others: Number(others.rows[0].n), relations: Number(relations.rows[0].n) };
  } finally {
    await client.end();
  }
}

/** --force: every schema of the database goes (with its tables, sequences, extensions), an empty public remains. */
async function empty(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`,
    );
    await client.query('BEGIN');
    for (const { name } of rows) await client.query(`DROP SCHEMA ${pg.escapeIdentifier(name)} CASCADE`);
    await client.query('CREATE SCHEMA public');
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

try {
  if (!fs.existsSync(file)) throw new CliError(`${file} does not exist`);
  const config = loadConfig();
  const where = await locate(config);
  if (where.running)
    throw new CliError(
      `Aquaflow's PostgreSQL (pid ${where.running.pid}) is running on ${where.dataDir}: stop Aquaflow before restoring (a PostgreSQL left over from a killed Aquaflow stops with kill -INT ${where.running.pid})`,
    );
  const pgRestore = findTool('pg_restore', where.major, args.values['pg-bin']);
  const entries = await archiveEntries(pgRestore, file); // a readable backup, before anything is touched
  const started = Date.now();
  const target: Target = await open(config, where, { create: true });
  try {
    const found = await inspect(target.url);
    if (found.others > 0)
      throw new CliError(
        `${found.others} other session(s) are connected to ${target.label} (is Aquaflow running on it?): stop them before restoring`,
      );
    if (found.relations > 0) {
      if (!args.values.force)
        throw new CliError(
          `${target.label} is not empty (${found.relations} tables and sequences): restore into an empty database or DATA_DIR, or pass --force to replace its contents`,
        );
      await empty(target.url);
    }
    // Owners and grants of the original server are left behind: the restoring user owns everything.
    await runTool(
      pgRestore,
      ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', file],
      target.url,
    );
  } finally {
    await target.release();
  }
  const tables = entries.filter((e) => / TABLE DATA /.test(e)).length;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `restore: restored ${file} (${tables} tables) into ${target.label} in ${seconds} s; start Aquaflow with npm start\n`,
  );
  process.exit(0);
} catch (err) {
  if (err instanceof CliError || err instanceof ConfigError) fail(err.message);
  fail(oneLine(err));
}
