import type { EngineFeature } from './feature.js';
import { BatchOperationWorker } from './batch-operations.js';
import { batchOperationRoutes } from '../http/routes/batch-operations.js';

/** Batch operations (runtime/batch-operations.ts): their background worker and their /v2 routes. */
export const batchOperationsFeature: EngineFeature = {
  name: 'batch operations',
  parts: (rt) => ({ scheduler: new BatchOperationWorker(rt) }),
  routes: [batchOperationRoutes],
};
