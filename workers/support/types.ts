import type { CamundaClient } from '@camunda8/orchestration-cluster-api';
import type { Knex } from 'knex';
import type { Logger } from 'pino';

export type JobWorkerConfig = Parameters<CamundaClient['createJobWorker']>[0];

/** What a job type's handler may use: domain services take the knex handle. */
export interface WorkerContext {
  knex: Knex;
  logger: Logger;
  /** DATA_DIR: where a step writes files (the local e-invoice provider's); `./data` when not given. */
  dataDir?: string;
  /**
   * The official client the workers run on (set by startWorkers), for what a job's own complete() cannot do: a
   * task listener's denial (a job result), a document in the engine's document store. Never the engine's internals.
   */
  engine?: CamundaClient;
}

/** One file per job type (`workers/<type>.ts`) exports a factory of its worker configuration. */
export type WorkerFactory = (ctx: WorkerContext) => JobWorkerConfig;
