import pg from 'pg';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { generate, QUERIES } from '../../bench/scenarios/usertask-search.js';
import { compileSearch } from '../../engine/store/search/run.js';
import { userTaskSearch } from '../../engine/store/read/user-tasks.js';

// The inbox's searches must stay on the open-task indexes however many tasks are finished:
// plan shapes (never timings) of what /v2/user-tasks/search compiles, on a scaled-down data set.
let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await freshDatabase();
  await generate(db.knex, 20_000, () => {}, 5);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
}, 180_000);
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

async function planOf(query: {
  toSQL(): { toNative(): { sql: string; bindings: readonly unknown[] } };
}): Promise<PlanNode[]> {
  const native = query.toSQL().toNative();
  const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${native.sql}`, native.bindings as unknown[]);
  const flat: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    flat.push(n);
    n.Plans?.forEach(walk);
  };
  walk(rows[0]['QUERY PLAN'][0].Plan);
  return flat;
}

const onUserTask = (nodes: PlanNode[]) =>
  nodes.filter((n) => n['Relation Name'] === 'user_task' || n['Index Name']?.startsWith('user_task'));

describe.each(QUERIES.map((q) => [q.name, q] as const))('%s', (_name, q) => {
  it('reads the page through an index of open tasks, never a scan of all tasks', async () => {
    const nodes = onUserTask(await planOf(compileSearch(userTaskSearch, q.body(1)).rows));
    expect(nodes.some((n) => n['Node Type'] === 'Seq Scan')).toBe(false);
    expect(nodes.map((n) => n['Index Name']).filter(Boolean)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^user_task_open_/)]),
    );
  });

  it('counts without scanning all tasks', async () => {
    const nodes = onUserTask(await planOf(compileSearch(userTaskSearch, q.body(1)).count));
    expect(nodes.some((n) => n['Node Type'] === 'Seq Scan')).toBe(false);
    expect(nodes.some((n) => n['Index Name'] === 'user_task_candidate_groups_idx')).toBe(false);
  });
});
