import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { webBuildIsStale } from './web-build.js';

// When `npm start` builds the web app again: web/dist older than any of its sources, the shared contracts included.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aquaflow-webbuild-'));
const web = path.join(root, 'web');
// a file and its folder as of `seconds` (a folder's own time counts too: a file added or removed changes it)
const at = (file: string, seconds: number) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, '');
  fs.utimesSync(file, seconds, seconds);
  fs.utimesSync(path.dirname(file), seconds, seconds);
};
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('missing, older than web/src or older than contracts/: stale; newer than all: fresh', () => {
  expect(webBuildIsStale(web)).toBe(true);
  at(path.join(web, 'src', 'main.ts'), 1000);
  at(path.join(root, 'contracts', 'cases.ts'), 1000);
  at(path.join(web, 'dist', 'index.html'), 2000);
  expect(webBuildIsStale(web)).toBe(false);
  at(path.join(web, 'src', 'main.ts'), 3000);
  expect(webBuildIsStale(web)).toBe(true);
  at(path.join(web, 'dist', 'index.html'), 4000);
  at(path.join(root, 'contracts', 'cases.ts'), 5000);
  expect(webBuildIsStale(web)).toBe(true);
});
