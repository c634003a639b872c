import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FilesystemDocumentStore } from './filesystem-store.js';
import { DocumentContentExists, DocumentTooLarge, OperationNotSupported } from './store.js';

let dir: string;
let store: FilesystemDocumentStore;
const text = async (r: Readable | null) => {
  const chunks: Buffer[] = [];
  for await (const c of r!) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-store-'));
  store = new FilesystemDocumentStore(path.join(dir, 'documents'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('put hashes and counts the content; get, stat and delete find it by id', async () => {
  const stored = await store.put('a', Readable.from([Buffer.from('hello '), Buffer.from('world')]), 100);
  expect(stored).toEqual({ size: 11, contentHash: createHash('sha256').update('hello world').digest('hex') });
  expect(await text(await store.get('a'))).toBe('hello world');
  expect(await store.stat('a')).toEqual({ size: 11 });
  expect(await store.delete('a')).toBe(true);
  expect([await store.get('a'), await store.stat('a'), await store.delete('a')]).toEqual([null, null, false]);
});

test('an id is never a path: "../x" stays inside the folder', async () => {
  await store.put('../escape', Readable.from(['x']), 10);
  expect(fs.readdirSync(dir)).toEqual(['documents']);
  expect(await text(await store.get('../escape'))).toBe('x');
});

test('too large: refused and nothing left behind; a taken id is refused and keeps its content', async () => {
  await expect(store.put('big', Readable.from(['12345', '6']), 5)).rejects.toBeInstanceOf(DocumentTooLarge);
  expect(fs.readdirSync(path.join(dir, 'documents'))).toEqual([]);

  const results = await Promise.allSettled([
    store.put('same', Readable.from(['first']), 10),
    store.put('same', Readable.from(['second']), 10),
  ]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  expect(refused.reason).toBeInstanceOf(DocumentContentExists);
  expect(['first', 'second']).toContain(await text(await store.get('same')));
  expect(fs.readdirSync(path.join(dir, 'documents'))).toHaveLength(1); // no temporary file remains
});

test("links are not supported, in Camunda's words", async () => {
  await expect(store.createLink()).rejects.toEqual(
    new OperationNotSupported('The local storage document store does not support creating links'),
  );
});
