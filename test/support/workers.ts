import pino from 'pino';
import { createCamundaClient } from '../../platform/engine-client.js';
import type { WorkerContext } from '../../workers/index.js';
import type { TestEngine } from './engine.js';

/** The official client job workers use against a test engine (fanatical validation) and their context. */
export function testWorkerClient(t: TestEngine): {
  workerClient: ReturnType<typeof createCamundaClient>;
  workerCtx: WorkerContext;
} {
  const workerClient = createCamundaClient(
    { restAddress: t.url, auth: { strategy: 'NONE' } },
    { CAMUNDA_SDK_VALIDATION: 'req:strict,res:fanatical', CAMUNDA_SDK_LOG_LEVEL: 'silent' },
  );
  return { workerClient, workerCtx: { knex: t.db.knex, logger: pino({ level: 'silent' }) } };
}
