import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import type { Knex } from 'knex';
import type { Logger } from 'pino';

export type JobWorkerConfig = Parameters<CamundaClient['createJobWorker']>[0];

/** What a job type's handler may use: domain services take the knex handle; nothing talks to the engine directly. */
export interface WorkerContext {
  knex: Knex;
  logger: Logger;
  /** DATA_DIR: where a step writes files (the local e-invoice provider's); `./data` when not given. */
  dataDir?: string;
}

/** One file per job type (`workers/<type>.ts`) exports a factory of its worker configuration. */
export type WorkerFactory = (ctx: WorkerContext) => JobWorkerConfig;
