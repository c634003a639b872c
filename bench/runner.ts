import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import getPort from 'get-port';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded.js';
import { createKnex } from '../db/index.js';
import { migrateLatest } from '../db/migrate.js';
import type { Scenario } from './scenario.js';

/** One output line, exactly as DESIGN §7 prescribes. */
export interface BenchLine {
  scenario: string;
  size: number;
  metric: string;
  value: number;
  unit: string;
  baseline: { name: string; metric: string; value: number; unit: string; ratio: number };
}

export interface BenchDatabase {
  url: string;
  close(): Promise<void>;
}

/** DATABASE_URL when given, else a throw-away embedded PostgreSQL in a temporary directory. */
export async function openBenchDatabase(
  databaseUrl: string | undefined,
  progress: (m: string) => void,
): Promise<BenchDatabase> {
  if (databaseUrl) return { url: databaseUrl, close: async () => {} };
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-bench-'));
  fs.chmodSync(parent, 0o755); // as root, PostgreSQL runs as user "postgres" and must reach it
  progress('starting embedded PostgreSQL');
  let pg: EmbeddedDatabase | undefined;
  try {
    pg = await startEmbeddedPostgres({ dataDir: path.join(parent, 'pg'), port: await getPort(), ephemeral: true });
    const url = await ensureDatabase(pg.url, 'aquaflow_bench');
    const started = pg;
    return {
      url,
      async close() {
        await started.stop();
        fs.rmSync(parent, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await pg?.stop();
    fs.rmSync(parent, { recursive: true, force: true });
    throw err;
  }
}

export async function runScenario(
  name: string,
  scenario: Scenario,
  databaseUrl: string,
  size: number,
  progress: (m: string) => void,
): Promise<BenchLine> {
  const knex = createKnex(databaseUrl, { max: 4 });
  try {
    await migrateLatest(knex);
    const r = await scenario.run({ databaseUrl, knex, size, progress: (m) => progress(`${name}: ${m}`) });
    const ratio = r.better === 'higher' ? r.value / r.baseline.value : r.baseline.value / r.value;
    return {
      scenario: name,
      size,
      metric: r.metric,
      value: round(r.value),
      unit: r.unit,
      baseline: { ...r.baseline, value: round(r.baseline.value), ratio: round(ratio, 3) },
    };
  } finally {
    await knex.destroy();
  }
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
