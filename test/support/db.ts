import crypto from 'node:crypto';
import pg from 'pg';
import { withDatabase } from '../../db/embedded.js';
import { createKnex, type Knex } from '../../db/index.js';

export interface TestDatabase {
  name: string;
  /** Connection URL of this test's own database. */
  url: string;
  knex: Knex;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function maintenanceUrl(): string {
  const url = process.env.AQUAFLOW_TEST_PG_URL;
  if (!url)
    throw new Error(
      'AQUAFLOW_TEST_PG_URL is not set: run tests through `npm test` (Jest globalSetup starts PostgreSQL)',
    );
  return url;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: maintenanceUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database cloned from the run's template; call drop() in afterAll. */
export async function freshDatabase(): Promise<TestDatabase> {
  const name = `t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE aquaflow_template`));
  const url = withDatabase(maintenanceUrl(), name);
  const knex = createKnex(url);
  return {
    name,
    url,
    knex,
    async drop() {
      await knex.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
