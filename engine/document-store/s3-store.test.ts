import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { S3DocumentStore } from './s3-store.js';
import { DocumentContentExists, DocumentTooLarge } from './store.js';

// A real S3-compatible server (s3rver) on a free port, over a temporary folder; its built-in key pair.
let dir: string;
let server: S3rver;
let endpoint: string;
let store: S3DocumentStore;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const text = async (r: Readable | null) => {
  const chunks: Buffer[] = [];
  for await (const c of r!) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
};
let prefix: string;
/** The keys under this test's prefix. */
const keys = async () =>
  ((await store.client.send(new ListObjectsV2Command({ Bucket: 'docs', Prefix: prefix }))).Contents ?? []).map(
    (o) => o.Key,
  );

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3-store-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: dir,
    silent: true,
    configureBuckets: [{ name: 'docs' }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  prefix = `test-${randomUUID()}/`;
  store = new S3DocumentStore({ bucket: 'docs', prefix, endpoint, credentials });
});

test('put hashes and counts the content and keeps the hash as metadata; get, stat and delete find it by id', async () => {
  const stored = await store.put('a', Readable.from([Buffer.from('hello '), Buffer.from('world')]), 100);
  const hash = createHash('sha256').update('hello world').digest('hex');
  expect(stored).toEqual({ size: 11, contentHash: hash });
  expect(store.storeId).toBe('aws');
  expect(await text(await store.get('a'))).toBe('hello world');
  expect(await store.stat('a')).toEqual({ size: 11 });
  const [key] = await keys();
  const head = await store.client.send(new HeadObjectCommand({ Bucket: 'docs', Key: key }));
  expect(head.Metadata).toEqual({ 'content-hash': hash });
  expect(await store.delete('a')).toBe(true);
  expect([await store.get('a'), await store.stat('a'), await store.delete('a')]).toEqual([null, null, false]);
  expect(await keys()).toEqual([]);
});

test('ids are keys under the prefix, never paths', async () => {
  await store.put('../escape', Readable.from(['x']), 10);
  const [key] = await keys();
  expect(key).toBe(prefix + createHash('sha256').update('../escape').digest('hex'));
  expect(await text(await store.get('../escape'))).toBe('x');
});

test('too large: refused and nothing left behind, also past the first multipart part', async () => {
  await expect(store.put('big', Readable.from(['12345', '6']), 5)).rejects.toBeInstanceOf(DocumentTooLarge);

  const part = Buffer.alloc(5 * 1024 * 1024, 1);
  await expect(
    store.put('bigger', Readable.from([part, part, Buffer.from('x')]), 2 * part.length),
  ).rejects.toBeInstanceOf(DocumentTooLarge);
  // No object under the key; the aborted upload's parts cannot be checked here: s3rver implements neither
  // ListMultipartUploads nor AbortMultipartUpload (the store sends the abort; s3rver answers 405).
  expect(await keys()).toEqual([]);
  expect(await store.stat('bigger')).toBeNull();
});

test('a multipart upload (over 5 MiB) hashes and stores the whole content', async () => {
  const part = Buffer.alloc(5 * 1024 * 1024, 7);
  const all = Buffer.concat([part, Buffer.from('tail')]);
  const stored = await store.put('large', Readable.from([part, Buffer.from('tail')]), all.length);
  expect(stored).toEqual({ size: all.length, contentHash: createHash('sha256').update(all).digest('hex') });
  expect(await store.stat('large')).toEqual({ size: all.length });
});

test('a taken id is refused and keeps its content', async () => {
  await store.put('same', Readable.from(['first']), 10);
  await expect(store.put('same', Readable.from(['second']), 10)).rejects.toEqual(new DocumentContentExists('same'));
  expect(await text(await store.get('same'))).toBe('first');
});

test('a link is a pre-signed GET that downloads the content with plain fetch, until it expires', async () => {
  await store.put('linked', Readable.from(['signed content']), 100);
  const before = Date.now();
  const link = await store.createLink('linked', 60_000);
  expect(link.expiresAt.getTime() - before).toBeGreaterThanOrEqual(60_000);
  expect(link.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
  expect(link.url).toContain('X-Amz-Expires=60&');
  const res = await fetch(link.url);
  expect([res.status, await res.text()]).toEqual([200, 'signed content']);

  // one second to live (S3 counts whole seconds from the signature's second): gone two seconds later
  const short = await store.createLink('linked', 1000);
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const expired = await fetch(short.url);
  expect(expired.status).toBe(403);
  expect(await expired.text()).toContain('Request has expired');
  expect((await fetch(link.url)).status).toBe(200);
});
