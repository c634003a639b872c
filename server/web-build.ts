import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

// Inputs of the web build besides web/src (the shared contracts too: the web app imports their types and labels);
// a change to any of them makes web/dist stale.
const INPUT_FILES = ['index.html', 'vite.config.ts', 'public', '../contracts'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** True when web/dist is missing or older than any of its sources. */
export function webBuildIsStale(webDir: string): boolean {
  const built = path.join(webDir, 'dist', 'index.html');
  if (!fs.existsSync(built)) return true;
  const sources = Math.max(
    newestMtime(path.join(webDir, 'src')),
    ...INPUT_FILES.map((f) => newestMtime(path.join(webDir, f))),
  );
  return sources > fs.statSync(built).mtimeMs;
}

/**
 * Builds the web app with Vite when its build is missing or stale. The build goes to a private directory
 * that then replaces web/dist, so a concurrent start never serves (or deletes) a half-written build.
 */
export async function ensureWebBuild(webDir: string, logger: Logger): Promise<'fresh' | 'built'> {
  if (!webBuildIsStale(webDir)) return 'fresh';
  const started = Date.now();
  logger.info('building the web app (web/dist is missing or older than web/src)');
  const outDir = path.join(webDir, `.dist-${process.pid}-${Date.now()}`);
  try {
    await viteBuild(webDir, outDir);
    // the build is as old as its start: a source edited while it ran is newer, so the next start builds again
    fs.utimesSync(path.join(outDir, 'index.html'), started / 1000, started / 1000);
    const dist = path.join(webDir, 'dist');
    const old = `${dist}.old-${process.pid}`;
    // Another process may be swapping its own build in at the same moment; either complete build will do.
    try {
      fs.renameSync(dist, old);
    } catch {
      // no previous build, or another process moved it already
    }
    try {
      fs.renameSync(outDir, dist);
    } catch (err) {
      if (!fs.existsSync(path.join(dist, 'index.html'))) throw err;
    }
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  logger.info({ ms: Date.now() - started }, 'web app built');
  return 'built';
}

/**
 * Runs `vite build` in a child process: Vite's native bundler (rolldown) rejects plugin objects created in
 * another V8 context, which is what Jest's ESM sandbox gives it, and a child also keeps the build's memory apart.
 */
async function viteBuild(webDir: string, outDir: string): Promise<void> {
  const viteBin = path.join(
    path.dirname(createRequire(import.meta.url).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  try {
    await promisify(execFile)(
      process.execPath,
      [
        viteBin,
        'build',
        '--config',
        path.join(webDir, 'vite.config.ts'),
        '--outDir',
        outDir,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      { cwd: webDir, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '').trim();
    const lines = stderr
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    // Vite prints a heading ("error during build:") and the cause on the next line.
    const heading = lines.findIndex((l) => /^error during build:?$/i.test(l));
    throw new Error(
      (heading >= 0 ? lines[heading + 1] : lines.find((l) => /error/i.test(l))) ?? lines[0] ?? String(err),
    );
  }
}
