import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runScenario } from '../../bench/runner.js';
import { scenarios } from '../../bench/scenarios/index.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('bench runner', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  test('db-roundtrip prints the DESIGN §7 line: our figure and its peer from the same run', async () => {
    const progress: string[] = [];
    const line = await runScenario('db-roundtrip', scenarios['db-roundtrip'], db.url, 50, (m) => progress.push(m));
    expect(Object.keys(line)).toEqual(['scenario', 'size', 'metric', 'value', 'unit', 'baseline']);
    expect(Object.keys(line.baseline)).toEqual(['name', 'metric', 'value', 'unit', 'ratio']);
    expect(line).toMatchObject({ scenario: 'db-roundtrip', size: 50, metric: 'queries_per_second', unit: 'queries/s' });
    expect(line.value).toBeGreaterThan(0);
    expect(line.baseline.value).toBeGreaterThan(0);
    // throughput: ratio = ours / peer
    expect(line.baseline.ratio).toBeCloseTo(line.value / line.baseline.value, 1);
    expect(progress.length).toBeGreaterThan(0);
  });

  test('an unknown scenario is a clear error listing the known ones', () => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'no-such'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown scenario no-such; known: db-roundtrip');
  });
});
