import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';
import { PNG_1PX, insertCase, upload } from './case-documents-fixtures.js';

// The configuration reaches a case's uploads: DOCUMENT_SCAN_COMMAND runs the utility's scanner on every file, and
// DOCUMENT_MAX_SIZE_MB bounds them (the router's own tests use a fake scanner and their own limit).
let t: TestAquaflow;
let clerk: ApiSession;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-scan-'));
const scanner = path.join(dir, 'scan.sh');
// ClamAV's convention: exit 1 names the threat. This one finds one in every file that holds "EICAR".
fs.writeFileSync(
  scanner,
  '#!/bin/sh\nif grep -q EICAR; then echo "stdin: Eicar-Signature FOUND"; exit 1; fi\nexit 0\n',
  {
    mode: 0o755,
  },
);

beforeAll(async () => {
  t = await startTestAquaflow(
    { demoAccounts: 0 },
    { DOCUMENT_SCAN_COMMAND: scanner, DOCUMENT_MAX_SIZE_MB: String(4096 / 1024 / 1024) },
  );
  clerk = await t.signIn('clerk');
  await insertCase(t.db.knex, 'YW-20261207-0901');
}, 120000);
afterAll(async () => {
  await t?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a clean file passes the configured scanner; an infected one is refused and nothing is stored', async () => {
  const clean = await upload(
    t.app.url,
    clerk.cookie,
    'YW-20261207-0901',
    { kind: 'photo' },
    {
      name: '现场.png',
      bytes: PNG_1PX,
    },
  );
  expect(clean.status).toBe(201);
  const infected = Buffer.concat([PNG_1PX, Buffer.from('EICAR')]);
  const refused = await upload(
    t.app.url,
    clerk.cookie,
    'YW-20261207-0901',
    { kind: 'photo' },
    {
      name: '现场2.png',
      bytes: infected,
    },
  );
  expect(refused.status).toBe(422);
  expect(refused.body).toMatchObject({ field: 'file' });
  expect(String(refused.body.detail)).toContain('Eicar-Signature');
  expect(await t.db.knex('cis.case_document_versions').count({ n: '*' })).toEqual([{ n: '1' }]);
});

test('the configured size bounds the upload', async () => {
  const big = Buffer.concat([PNG_1PX, Buffer.alloc(8192)]);
  const r = await upload(
    t.app.url,
    clerk.cookie,
    'YW-20261207-0901',
    { kind: 'photo' },
    { name: '大.png', bytes: big },
  );
  expect(r.status).toBe(422);
  expect(r.body).toMatchObject({ field: 'file' });
});
