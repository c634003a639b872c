// `npm run workers`: only the job workers, against the engine Aquaflow uses (scale-out: run as many as needed).
import { createKnex } from '../db/index.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { createCamundaClient, engineConnection } from '../platform/engine-client.js';
import { startWorkers, workerFactories } from './index.js';

function fail(message: string): never {
  process.stderr.write(`aquaflow workers: ${message}\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}
if (!config.DATABASE_URL) fail('DATABASE_URL is required: workers share the database of the Aquaflow server');
if (workerFactories.length === 0) fail('no job types are registered in workers/index.ts yet');

const logger = createLogger(config).child({ module: 'workers' });
// Without CAMUNDA_REST_ADDRESS the workers talk to the embedded engine of an Aquaflow server on PORT.
const connection = engineConnection(config, config.CAMUNDA_REST_ADDRESS ?? `http://127.0.0.1:${config.PORT}`);
const knex = createKnex(config.DATABASE_URL);
const workers = startWorkers(createCamundaClient(connection), { knex, logger, dataDir: config.DATA_DIR });
logger.info({ engine: connection.restAddress, jobTypes: workers.jobTypes }, 'workers running');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping workers');
    workers
      .stop()
      .then(() => knex.destroy())
      .then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'stop failed');
          process.exit(1);
        },
      );
  });
}
