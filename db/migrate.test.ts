import { freshDatabase, type TestDatabase } from '../test/support/db.js';
import { migrateLatest } from './migrate.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

test('a test database is migrated: both schemas and the trigram extension exist', async () => {
  const schemas = await db.knex.raw(`SELECT nspname FROM pg_namespace WHERE nspname IN ('cis', 'engine') ORDER BY 1`);
  expect(schemas.rows.map((r: { nspname: string }) => r.nspname)).toEqual(['cis', 'engine']);
  const ext = await db.knex.raw(`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`);
  expect(ext.rowCount).toBe(1);
});

test('running migrations again is a no-op', async () => {
  expect(await migrateLatest(db.knex)).toEqual([]);
});
