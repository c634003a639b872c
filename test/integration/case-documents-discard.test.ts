import { CaseDocumentsService, type CaseDocumentStore, type StoredFile } from '../../domain/cases/documents/service.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { PNG_1PX, insertCase } from './case-documents-fixtures.js';

// Nothing half-written: a file whose version cannot be recorded leaves the store again (the store stands in for
// the engine's here, to see what reaches it; the database is real).
let db: TestDatabase;
const put: StoredFile[] = [];
const discarded: StoredFile[] = [];
const store: CaseDocumentStore = {
  async put() {
    const f = { storeDocumentId: `doc-${put.length + 1}`, storeId: 'in-memory', contentHash: 'h' };
    put.push(f);
    return f;
  },
  async get() {
    return new Uint8Array();
  },
  async discard(file) {
    discarded.push(file);
  },
};

beforeAll(async () => {
  db = await freshDatabase();
  await insertCase(db.knex, 'YW-20261207-0951');
});
afterAll(async () => {
  await db?.drop();
});

test('a version the database refuses takes its file out of the store; a recorded one stays', async () => {
  const documents = new CaseDocumentsService(db.knex, store);
  const upload = () =>
    documents.upload(
      'YW-20261207-0951',
      { kind: 'photo' },
      { fileName: '现场.png', bytes: PNG_1PX },
      { actor: 'clerk' },
    );
  await upload();
  expect(discarded).toEqual([]);

  // the recording fails after the file was stored (here: the database refuses every new version)
  await db.knex.raw(`
    CREATE FUNCTION cis.refuse_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full'; END $$;
    CREATE TRIGGER refuse_version BEFORE INSERT ON cis.case_document_versions
      FOR EACH ROW EXECUTE FUNCTION cis.refuse_version();`);
  await expect(upload()).rejects.toThrow('disk full');
  expect(put).toHaveLength(2);
  expect(discarded).toEqual([put[1]]);
  expect(await db.knex('cis.case_document_versions').count({ n: '*' })).toEqual([{ n: '1' }]);
});
