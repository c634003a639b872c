import type { Knex } from '../db/index.js';

export interface ScenarioContext {
  /** A migrated database of its own. */
  databaseUrl: string;
  knex: Knex;
  size: number;
  /** Progress for humans; goes to stderr so stdout stays one JSON line per scenario. */
  progress(message: string): void;
}

export interface Measurement {
  metric: string;
  value: number;
  unit: string;
}

export interface ScenarioResult extends Measurement {
  /** The peer measured in the same run. */
  baseline: Measurement & { name: string };
  /** `higher`: throughput (ratio = ours/peer); `lower`: times and latencies (ratio = peer/ours). */
  better: 'higher' | 'lower';
}

export interface Scenario {
  description: string;
  defaultSize: number;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}
