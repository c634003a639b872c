import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { createEngine, FilesystemDocumentStore, type DocumentStore } from '../../engine/index.js';
import { rejection, startTestEngine, type CamundaClient, type TestEngine } from '../support/engine.js';
import { instanceState } from '../support/records.js';
import { pinClock } from '../support/events.js';

/**
 * /v2/documents as Camunda 8.8 with its local storage document store, through the official client (fanatical
 * response validation): upload with metadata, the DocumentReference, reading with the content hash, batches (201 /
 * 207), links (the local store cannot sign them), delete, size limit and expiry — and a reference kept as a process
 * variable across a restart of the engine.
 */
const MAX = 64 * 1024;
const now = { consistency: { waitUpToMs: 0 } } as never;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const T0 = Date.parse('2026-12-07T10:00:00.000Z');

/** The filesystem store, except that it refuses contents starting with "BROKEN" (a failing disk, for 207). */
class FlakyStore extends FilesystemDocumentStore {
  override async put(...args: Parameters<DocumentStore['put']>) {
    const [id, content, max] = args;
    const chunks: Buffer[] = [];
    for await (const c of content) chunks.push(c as Buffer);
    const all = Buffer.concat(chunks);
    if (all.toString().startsWith('BROKEN')) throw new Error('disk full');
    const { Readable } = await import('node:stream');
    return super.put(id, Readable.from([all]), max);
  }
}

let t: TestEngine;
let dir: string;
/**
 * The official client with response validation, but no request validation: 8.8.4's request schema types the
 * upload's `file` as a string, so its strict mode refuses every real File before sending it.
 */
let docs: CamundaClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-documents-'));
  t = await startTestEngine({
    createEngine: (o) => createEngine({ ...o, documents: { store: new FlakyStore(dir), maxBytes: MAX } }),
  });
  await pinClock(t, T0);
  docs = createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: t.url,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_SDK_VALIDATION: 'req:none,res:fanatical',
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
      CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
    } as never,
  });
});
afterAll(async () => {
  await t?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = (text: string, name: string, type = 'text/plain') => new File([text], name, { type });
const storedFiles = () => fs.readdirSync(dir).filter((f) => !f.startsWith('.'));

describe('one document', () => {
  test('upload with metadata answers the reference; its content reads back with the hash', async () => {
    const ref = await docs.createDocument({
      file: file('meter photo', 'meter.jpg', 'image/jpeg'),
      metadata: {
        fileName: 'meter-0042.jpg',
        expiresAt: '2026-12-31T00:00:00.000Z',
        processDefinitionId: 'meter-reading' as never,
        processInstanceKey: '2251799813685249' as never,
        customProperties: { account: 'A-0042' },
      },
      documentId: 'meter-0042',
    } as never);
    expect(ref).toEqual({
      'camunda.document.type': 'camunda',
      storeId: 'local-storage',
      documentId: 'meter-0042',
      contentHash: sha256('meter photo'),
      metadata: {
        contentType: 'image/jpeg', // from the part, as metadata names none
        fileName: 'meter-0042.jpg', // metadata wins over the part's name
        expiresAt: '2026-12-31T00:00:00.000Z',
        size: 11,
        processDefinitionId: 'meter-reading',
        processInstanceKey: '2251799813685249',
        customProperties: { account: 'A-0042' },
      },
    });
    const row = await t.db.knex('engine.document').where({ document_id: 'meter-0042' }).first();
    expect(row).toMatchObject({
      size: '11',
      content_hash: sha256('meter photo'),
      custom_properties: { account: 'A-0042' },
    });

    const res = await fetch(`${t.url}/v2/documents/meter-0042?contentHash=${sha256('meter photo')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(await res.text()).toBe('meter photo');
  });

  test('without metadata the part names the file; a new id is a UUID', async () => {
    const ref = await docs.createDocument({ file: file('notice', 'notice.txt') } as never);
    expect(ref.documentId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ref.metadata).toEqual({ contentType: 'text/plain', fileName: 'notice.txt', size: 6, customProperties: {} });
  });

  test('reading needs the right content hash (400), an unknown id is 404', async () => {
    await docs.createDocument({ file: file('bill', 'bill.txt'), documentId: 'bill-1' } as never);
    // The client reads a text document as a string (its schema for this answer; binary content it cannot validate).
    expect(await docs.getDocument({ documentId: 'bill-1', contentHash: sha256('bill') } as never)).toBe('bill');
    const missing = await fetch(`${t.url}/v2/documents/bill-1`);
    expect([missing.status, await missing.json()]).toEqual([
      400,
      expect.objectContaining({
        status: 400,
        title: 'INVALID_ARGUMENT',
        detail: 'No document hash provided for document bill-1',
      }),
    ]);
    const wrong = await rejection(docs.getDocument({ documentId: 'bill-1', contentHash: 'abc' } as never));
    expect(wrong).toMatchObject({
      status: 400,
      detail: "Document hash for document bill-1 doesn't match the provided hash abc",
    });
    const unknown = await rejection(docs.getDocument({ documentId: 'nope', contentHash: 'abc' } as never));
    expect(unknown).toMatchObject({ status: 404, title: 'NOT_FOUND', detail: "Document with id 'nope' not found" });
  });

  test('an id already taken is 409 ALREADY_EXISTS and the first content stays', async () => {
    await docs.createDocument({ file: file('first', 'a.txt'), documentId: 'taken' } as never);
    const again = await rejection(docs.createDocument({ file: file('second', 'b.txt'), documentId: 'taken' } as never));
    expect(again).toMatchObject({
      status: 409,
      title: 'ALREADY_EXISTS',
      detail: "Document with id 'taken' already exists",
    });
    const res = await fetch(`${t.url}/v2/documents/taken?contentHash=${sha256('first')}`);
    expect(await res.text()).toBe('first');
  });

  test('larger than the limit is 413 and leaves nothing behind; another store id is 400', async () => {
    const before = storedFiles().length;
    const big = await rejection(
      docs.createDocument({ file: file('x'.repeat(MAX + 1), 'big.bin'), documentId: 'big' } as never),
    );
    expect(big).toMatchObject({ status: 413, title: 'Payload Too Large' });
    expect(storedFiles()).toHaveLength(before);
    expect(await t.db.knex('engine.document').where({ document_id: 'big' }).first()).toBeUndefined();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.upload-'))).toEqual([]);

    const store = await rejection(docs.createDocument({ file: file('y', 'y.txt'), storeId: 'gcp' } as never));
    expect(store).toMatchObject({ status: 400, detail: "Document store with id 'gcp' does not exist" });
  });

  test('bad metadata is a 400 naming the field, and the upload is discarded', async () => {
    const before = storedFiles().length;
    const form = new FormData();
    form.append('file', file('z', 'z.txt'));
    form.append('metadata', JSON.stringify({ expiresAt: 'tomorrow' }));
    const res = await fetch(`${t.url}/v2/documents?documentId=bad-meta`, { method: 'POST', body: form });
    const problem = (await res.json()) as { status: number; detail: string };
    expect([res.status, problem.status]).toEqual([400, 400]);
    expect(problem.detail).toMatch(/^Request property \[metadata\.expiresAt\] is invalid/);
    expect(storedFiles()).toHaveLength(before);
  });

  test('a link: the local storage store cannot sign one (403, as Camunda), after the hash is checked', async () => {
    const ref = await docs.createDocument({ file: file('letter', 'letter.pdf'), documentId: 'letter' } as never);
    const wrongHash = await rejection(
      docs.createDocumentLink({ documentId: 'letter', contentHash: 'nope', timeToLive: 60000 } as never),
    );
    expect(wrongHash).toMatchObject({ status: 400 });
    const link = await rejection(
      docs.createDocumentLink({ documentId: 'letter', contentHash: ref.contentHash, timeToLive: 60000 } as never),
    );
    expect(link).toMatchObject({
      status: 403,
      title: 'FORBIDDEN',
      detail: 'The local storage document store does not support creating links',
    });
  });

  test('delete: 204, then the document is gone (404) and so is its file', async () => {
    const ref = await docs.createDocument({ file: file('old', 'old.txt'), documentId: 'old' } as never);
    const before = storedFiles().length;
    await docs.deleteDocument({ documentId: 'old' } as never);
    expect(storedFiles()).toHaveLength(before - 1);
    expect(
      await rejection(docs.getDocument({ documentId: 'old', contentHash: ref.contentHash } as never)),
    ).toMatchObject({
      status: 404,
    });
    expect(await rejection(docs.deleteDocument({ documentId: 'old' } as never))).toMatchObject({ status: 404 });
  });

  test('an expired document is gone for readers (engine clock)', async () => {
    const ref = await docs.createDocument({
      file: file('temporary', 't.txt'),
      metadata: { expiresAt: new Date(T0 + 3_600_000).toISOString() },
      documentId: 'temporary',
    } as never);
    const read = () => fetch(`${t.url}/v2/documents/temporary?contentHash=${ref.contentHash}`);
    expect((await read()).status).toBe(200);
    await pinClock(t, T0 + 3_600_000);
    expect((await read()).status).toBe(404);
    await pinClock(t, T0);
  });
});

describe('batch', () => {
  test('all created: 201 with every reference, metadata by position', async () => {
    const res = await docs.createDocuments({
      files: [file('one', '1.txt'), file('two', '2.txt')],
      metadataList: [{ fileName: 'first.txt' }, { customProperties: { n: 2 } }],
    } as never);
    expect(res.failedDocuments).toEqual([]);
    expect(
      res.createdDocuments!.map((d) => [d.metadata!.fileName, d.contentHash, d.metadata!.customProperties]),
    ).toEqual([
      ['first.txt', sha256('one'), {}],
      ['2.txt', sha256('two'), { n: 2 }],
    ]);
  });

  test('one file the store fails: 207 with the created and the failed one', async () => {
    const form = new FormData();
    form.append('files', file('fine', 'fine.txt'));
    form.append('files', file('BROKEN bytes', 'broken.txt'));
    const res = await fetch(`${t.url}/v2/documents/batch`, { method: 'POST', body: form });
    expect(res.status).toBe(207);
    const body = (await res.json()) as {
      createdDocuments: Array<{ metadata: { fileName: string } }>;
      failedDocuments: unknown[];
    };
    expect(body.createdDocuments.map((d) => d.metadata.fileName)).toEqual(['fine.txt']);
    expect(body.failedDocuments).toEqual([{ fileName: 'broken.txt', detail: 'disk full' }]);
  });

  test('a metadata list of another length is a 400 and stores nothing', async () => {
    const before = storedFiles().length;
    const problem = await rejection(
      docs.createDocuments({ files: [file('a', 'a.txt')], metadataList: [{}, {}] } as never),
    );
    expect(problem).toMatchObject({ status: 400 });
    expect(storedFiles()).toHaveLength(before);
  });
});

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://aquaflow.test">
  <bpmn:process id="doc-case" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="scan" />
    <bpmn:serviceTask id="scan">
      <bpmn:extensionElements><zeebe:taskDefinition type="doc-scan" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="scan" targetRef="file" />
    <bpmn:serviceTask id="file">
      <bpmn:extensionElements><zeebe:taskDefinition type="doc-file" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f3" sourceRef="file" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

async function takeJob(type: string) {
  const { jobs } = await t.client.activateJobs({
    type,
    maxJobsToActivate: 1,
    timeout: 30000,
    worker: 'doc',
    requestTimeout: 2000,
  } as never);
  expect(jobs).toHaveLength(1);
  return jobs[0];
}

test('a case keeps a document reference as a variable; after a restart the next step reads the document', async () => {
  await t.client.createDeployment({ resources: [new File([XML], 'doc-case.bpmn')] });
  const { processInstanceKey } = await t.client.createProcessInstance({ processDefinitionId: 'doc-case' as never });

  const scan = await takeJob('doc-scan');
  const ref = await docs.createDocument({
    file: file('signed application form', 'application.pdf', 'application/pdf'),
    metadata: { processDefinitionId: 'doc-case' as never, processInstanceKey: processInstanceKey as never },
  } as never);
  await t.client.completeJob({ jobKey: scan.jobKey, variables: { application: ref } } as never);

  await t.restart();

  const next = await takeJob('doc-file');
  const kept = next.variables.application as { documentId: string; contentHash: string; metadata: object };
  expect(kept).toMatchObject({
    'camunda.document.type': 'camunda',
    documentId: ref.documentId,
    contentHash: sha256('signed application form'),
    metadata: { fileName: 'application.pdf', processInstanceKey, size: 23 },
  });
  const content = await fetch(`${t.url}/v2/documents/${kept.documentId}?contentHash=${kept.contentHash}`);
  expect([content.headers.get('content-type'), await content.text()]).toEqual([
    'application/pdf',
    'signed application form',
  ]);
  await t.client.completeJob({ jobKey: next.jobKey });
  expect(await instanceState(t.db.knex, processInstanceKey)).toBe('COMPLETED');
  const variables = await t.client.searchVariables(
    { filter: { processInstanceKey, name: 'application' } } as never,
    now,
  );
  expect(JSON.parse(variables.items![0].value!)).toMatchObject({ documentId: ref.documentId });
});
