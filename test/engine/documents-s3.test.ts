import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import S3rver from 's3rver';
import { createEngine, S3DocumentStore } from '../../engine/index.js';
import { rejection, startTestEngine, type CamundaClient, type TestEngine } from '../support/engine.js';

/**
 * /v2/documents over Camunda's AWS store (id `aws`), kept in a real S3-compatible server (s3rver) on a free port,
 * through the official client (fanatical response validation): unlike the local store, a link is answered — a
 * pre-signed URL that plain fetch downloads the content with.
 */
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
let dir: string;
let server: S3rver;
let store: S3DocumentStore;
let t: TestEngine;
let docs: CamundaClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-documents-s3-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: dir,
    silent: true,
    configureBuckets: [{ name: 'camunda-documents' }],
  });
  const { port } = await server.run();
  store = new S3DocumentStore({
    bucket: 'camunda-documents',
    prefix: 'cluster-1/',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  t = await startTestEngine({ createEngine: (o) => createEngine({ ...o, documents: { store } }) });
  docs = createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: t.url,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      // 8.8.4's request schema types the upload's `file` as a string: no request validation (as documents.test.ts)
      CAMUNDA_SDK_VALIDATION: 'req:none,res:fanatical',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
      CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
    } as never,
  });
});
afterAll(async () => {
  await t?.stop();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('upload, read, a pre-signed link that downloads the content, delete', async () => {
  const ref = await docs.createDocument({
    file: new File(['meter photo'], 'meter.jpg', { type: 'image/jpeg' }),
    documentId: 'meter-0042',
  } as never);
  expect(ref).toEqual({
    'camunda.document.type': 'camunda',
    storeId: 'aws',
    documentId: 'meter-0042',
    contentHash: sha256('meter photo'),
    metadata: { contentType: 'image/jpeg', fileName: 'meter.jpg', size: 11, customProperties: {} },
  });
  expect(await store.stat('meter-0042')).toEqual({ size: 11 });

  const res = await fetch(`${t.url}/v2/documents/meter-0042?contentHash=${sha256('meter photo')}`);
  expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([200, 'image/jpeg', 'meter photo']);

  const before = Date.now();
  const link = await docs.createDocumentLink({
    documentId: 'meter-0042',
    contentHash: ref.contentHash,
    timeToLive: 600_000,
  } as never);
  const expiresAt = Date.parse(link.expiresAt!);
  expect(expiresAt - before).toBeGreaterThanOrEqual(600_000);
  expect(expiresAt - Date.now()).toBeLessThanOrEqual(600_000);
  expect(link.url).toContain('/camunda-documents/cluster-1/');
  expect(link.url).toContain('X-Amz-Expires=600');
  const download = await fetch(link.url!);
  expect([download.status, await download.text()]).toEqual([200, 'meter photo']);

  await docs.deleteDocument({ documentId: 'meter-0042' } as never);
  expect(await store.stat('meter-0042')).toBeNull();
  expect((await fetch(link.url!)).status).toBe(404);
  expect(
    await rejection(docs.getDocument({ documentId: 'meter-0042', contentHash: ref.contentHash } as never)),
  ).toMatchObject({ status: 404 });
});
