// `npm run backup -- FILE [--force] [--pg-bin DIR]`: one file (pg_dump's custom format) holding the whole database:
// the utility's data (schema cis), the engine's state with every running instance (schema engine) and the
// migration history. Works while Aquaflow runs (pg_dump reads one consistent snapshot) and while it does not (the
// embedded PostgreSQL under DATA_DIR is started for the dump and stopped again). Same configuration as npm start:
// DATA_DIR, or DATABASE_URL.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../platform/config.js';
import { archiveEntries, CliError, findTool, formatBytes, locate, oneLine, open, runTool } from './pg-tools.js';

const USAGE = `Usage: npm run backup -- FILE [--force] [--pg-bin DIR]

Writes a backup of Aquaflow's database to FILE (pg_dump custom format; restore it with npm run restore).
Aquaflow may keep running. The database is the embedded one under DATA_DIR, or DATABASE_URL when set.

  --force        overwrite FILE if it exists
  --pg-bin DIR   where pg_dump and pg_restore are (default: Debian's postgresql-client of the server's
                 version, /usr/lib/postgresql/<major>/bin, else PATH)
`;

function fail(message: string, code = 1): never {
  process.stderr.write(`backup: ${message}\n`);
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
const partial = `${file}.partial`;
try {
  if (!fs.existsSync(path.dirname(file))) throw new CliError(`directory ${path.dirname(file)} does not exist`);
  if (fs.existsSync(file) && !args.values.force)
    throw new CliError(`${file} exists; choose a new name (e.g. with the date) or pass --force to overwrite it`);
  const config = loadConfig();
  const started = Date.now();
  const where = await locate(config);
  // Both tools are checked before anything is started: a missing client package is the usual first-run problem.
  const pgDump = findTool('pg_dump', where.major, args.values['pg-bin']);
  const pgRestore = findTool('pg_restore', where.major, args.values['pg-bin']);
  const target = await open(config, where, { create: false });
  try {
    fs.rmSync(partial, { force: true });
    await runTool(pgDump, ['--format=custom', '--compress=6', `--file=${partial}`], target.url);
  } finally {
    await target.release();
  }
  const entries = await archiveEntries(pgRestore, partial); // a whole, readable archive, or no backup at all
  const tables = entries.filter((e) => / TABLE DATA /.test(e)).length;
  fs.renameSync(partial, file); // the file appears only when complete
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `backup: wrote ${file} (${formatBytes(fs.statSync(file).size)}, ${tables} tables) from ${target.label} in ${seconds} s\n`,
  );
  process.exit(0);
} catch (err) {
  fs.rmSync(partial, { force: true });
  if (err instanceof CliError || err instanceof ConfigError) fail(err.message);
  fail(oneLine(err));
}
