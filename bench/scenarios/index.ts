import type { Scenario } from '../scenario.js';
import { dbRoundtrip } from './db-roundtrip.js';
import { engineThroughput } from './engine-throughput.js';
import { usertaskSearch } from './usertask-search.js';
import { customerSearch } from './customer-search.js';
import { billRun } from './bill-run.js';
import { paymentPost } from './payment-post.js';
import { decisionEvaluation } from './decision-evaluation.js';

/** Every benchmark scenario, by the name `npm run bench -- <name>` takes. Register new ones here. */
export const scenarios: Record<string, Scenario> = {
  'db-roundtrip': dbRoundtrip,
  'engine-throughput': engineThroughput,
  'usertask-search': usertaskSearch,
  'customer-search': customerSearch,
  'bill-run': billRun,
  'payment-post': paymentPost,
  'decision-evaluation': decisionEvaluation,
};
