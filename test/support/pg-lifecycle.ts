import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import getPort from 'get-port';
import { startEmbeddedPostgres, ensureDatabase } from '../../db/embedded.js';
import { createKnex } from '../../db/index.js';
import { migrateLatest } from '../../db/migrate.js';

export const TEMPLATE_DB = 'aquaflow_template';

/**
 * One real PostgreSQL per test run. Migrations run once into a template database; every test file
 * clones its own database from it (see db.ts), so files share no state and run in parallel.
 */
export async function setup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    process.env.AQUAFLOW_TEST_PG_URL = process.env.TEST_DATABASE_URL;
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-test-pg-'));
    fs.rmSync(dataDir, { recursive: true, force: true });
    const port = await getPort();
    const pg = await startEmbeddedPostgres({ dataDir, port, ephemeral: true });
    (globalThis as Record<string, unknown>).__AQUAFLOW_PG__ = pg;
    process.env.AQUAFLOW_TEST_PG_URL = pg.url;
  }
  const templateUrl = await ensureDatabase(process.env.AQUAFLOW_TEST_PG_URL, TEMPLATE_DB);
  const knex = createKnex(templateUrl, { max: 1 });
  try {
    await migrateLatest(knex);
  } finally {
    await knex.destroy();
  }
}

export async function teardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__AQUAFLOW_PG__ as { stop(): Promise<void> } | undefined;
  if (pg) await pg.stop();
}
