import type { Scenario } from '../scenario.js';
import { dbRoundtrip } from './db-roundtrip.js';
import { usertaskSearch } from './usertask-search.js';

/** Every benchmark scenario, by the name `npm run bench -- <name>` takes. Register new ones here. */
export const scenarios: Record<string, Scenario> = {
  'db-roundtrip': dbRoundtrip,
  'usertask-search': usertaskSearch,
};
