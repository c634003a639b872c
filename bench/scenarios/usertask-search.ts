import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import pg from 'pg';
import { createEngine } from '../../engine/index.js';
import type { Knex } from '../../db/index.js';
import { compileSearch } from '../../engine/store/search/run.js';
import { userTaskSearch } from '../../engine/store/read/user-tasks.js';
import type { Scenario } from '../scenario.js';

const PROCESSES = 12;
const USERS = 300;
const GROUPS = [
  'clerk',
  'cashier',
  'meter-reader',
  'dispatcher',
  'repair-crew',
  'engineer',
  'manager',
  'auditor',
  'admin',
];
const PAGE = 50;
const ROUNDS = 200; // per query kind
const WARM_UP_ROUNDS = 200;
const TAG = 'bench-usertask';

/**
 * `size` open user tasks and 10 × size finished ones, bulk-generated in SQL (no engine commands:
 * the point is the read side at scale). Idempotent: an existing data set of the same size is reused.
 */
export async function generate(
  knex: Knex,
  size: number,
  progress: (m: string) => void,
  finishedPerOpen = 10,
): Promise<void> {
  const finished = size * finishedPerOpen;
  const { rows } = await knex.raw(
    `SELECT count(*) FILTER (WHERE state = 'CREATED') AS open, count(*) AS total FROM engine.user_task WHERE bpmn_process_id LIKE '${TAG}-%'`,
  );
  if (Number(rows[0].open) === size && Number(rows[0].total) === size + finished)
    return progress('reusing the generated tasks');
  progress(`generating ${size} open and ${finished} finished user tasks`);
  await knex.raw(`DELETE FROM engine.user_task WHERE bpmn_process_id LIKE '${TAG}-%'`);
  await knex.raw(`DELETE FROM engine.process_definition WHERE bpmn_process_id LIKE '${TAG}-%'`);
  await knex.raw(
    `INSERT INTO engine.process_definition (key, bpmn_process_id, version, name, resource_name, resource, checksum, deployment_key, created_at)
     SELECT 9000000000000000 + p, '${TAG}-' || p, 1, 'Bench process ' || p, '${TAG}-' || p || '.bpmn', '<definitions/>', 'bench' || p, 9000000000000000, now()
       FROM generate_series(0, ${PROCESSES - 1}) p`,
  );
  // One statement per batch keeps memory flat; every 7th open task is assigned, a tenth has no due date.
  const batch = 200_000;
  const total = size + finished;
  for (let from = 0; from < total; from += batch) {
    const to = Math.min(total, from + batch) - 1;
    await knex.raw(
      `INSERT INTO engine.user_task (key, state, element_instance_key, process_instance_key, process_definition_key, bpmn_process_id, version,
         element_id, name, assignee, candidate_groups, candidate_users, due_date, priority, creation_date, completion_date)
       SELECT 9100000000000000 + 2 * i,
              CASE WHEN i < ${size} THEN 'CREATED' WHEN i % 20 = 0 THEN 'CANCELED' ELSE 'COMPLETED' END,
              9100000000000001 + 2 * i, 9200000000000000 + i / 3, 9000000000000000 + i % ${PROCESSES}, '${TAG}-' || (i % ${PROCESSES}), 1,
              'task-' || (i % 5), 'Task ' || (i % 5),
              CASE WHEN i >= ${size} OR i % 7 = 0 THEN 'user-' || ((i * 7919) % ${USERS}) END,
              ARRAY[(ARRAY[${GROUPS.map((g) => `'${g}'`).join(',')}])[1 + i % ${GROUPS.length}]]
                || CASE WHEN i % 4 = 0 THEN ARRAY[(ARRAY[${GROUPS.map((g) => `'${g}'`).join(',')}])[1 + (i / 4) % ${GROUPS.length}]] ELSE '{}'::text[] END,
              '{}'::text[],
              CASE WHEN i % 10 = 3 THEN NULL ELSE timestamptz '2026-01-01T00:00:00Z' + ((i * 104729) % 2592000) * interval '1 second' END,
              (i * 31) % 101,
              timestamptz '2025-10-01T00:00:00Z' + ((i * 15485863) % 7776000) * interval '1 second',
              CASE WHEN i >= ${size} THEN timestamptz '2025-12-31T00:00:00Z' + (i % 86400) * interval '1 second' END
         FROM generate_series(${from}::bigint, ${to}::bigint) i`,
    );
    progress(`  ${to + 1} / ${total}`);
  }
  // What autovacuum does in production; the visibility map lets counts skip heap pages.
  await knex.raw('VACUUM ANALYZE engine.user_task');
  await knex.raw('ANALYZE engine.process_definition');
}

export interface InboxQuery {
  name: string;
  /** The /v2/user-tasks/search body. */
  body: (i: number) => unknown;
  /** The same query as one plain SQL statement: the floor. */
  sql: (i: number) => { text: string; values: unknown[] };
}

const cols = 'ut.*, pd.name AS process_name';
const from = 'engine.user_task ut JOIN engine.process_definition pd ON pd.key = ut.process_definition_key';
const groupsOf = (i: number) => [GROUPS[i % GROUPS.length], GROUPS[(i + 3) % GROUPS.length]];

export const QUERIES: InboxQuery[] = [
  {
    name: 'my tasks',
    body: (i) => ({
      filter: { state: 'CREATED', assignee: `user-${(i * 37) % USERS}` },
      sort: [{ field: 'creationDate', order: 'DESC' }],
      page: { limit: PAGE },
    }),
    sql: (i) => ({
      text: `SELECT ${cols} FROM ${from} WHERE ut.state = 'CREATED' AND ut.assignee = $1 ORDER BY ut.creation_date DESC, ut.key DESC LIMIT ${PAGE}`,
      values: [`user-${(i * 37) % USERS}`],
    }),
  },
  {
    name: "my groups' unassigned by due date",
    body: (i) => ({
      filter: { state: 'CREATED', assignee: { $exists: false }, candidateGroup: { $in: groupsOf(i) } },
      sort: [{ field: 'dueDate', order: 'ASC' }],
      page: { limit: PAGE },
    }),
    sql: (i) => ({
      text: `SELECT ${cols} FROM ${from} WHERE ut.state = 'CREATED' AND ut.assignee IS NULL AND ut.candidate_groups && $1::text[]
             ORDER BY ut.due_date ASC NULLS LAST, ut.key ASC LIMIT ${PAGE}`,
      values: [groupsOf(i)],
    }),
  },
  {
    name: 'tasks of one process',
    body: (i) => ({
      filter: { state: 'CREATED', processDefinitionId: `${TAG}-${i % PROCESSES}` },
      sort: [{ field: 'creationDate', order: 'DESC' }],
      page: { limit: PAGE },
    }),
    sql: (i) => ({
      text: `SELECT ${cols} FROM ${from} WHERE ut.state = 'CREATED' AND ut.bpmn_process_id = $1 ORDER BY ut.creation_date DESC, ut.key DESC LIMIT ${PAGE}`,
      values: [`${TAG}-${i % PROCESSES}`],
    }),
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
};
const fmt = (x: number) => x.toFixed(2);
const summary = (rows: Array<Record<string, string>>) =>
  rows
    .map((r) => r['QUERY PLAN'].trim())
    .filter((l) => /Scan|Sort|Limit|Aggregate/.test(l))
    .slice(0, 5)
    .join(' | ');

export const usertaskSearch: Scenario = {
  description:
    'inbox queries through /v2/user-tasks/search over N open + 10N finished user tasks, p95 vs the same plain SQL',
  defaultSize: 100_000,
  async run({ databaseUrl, knex, size, progress }) {
    await generate(knex, size, progress);

    const engine = createEngine({ databaseUrl, auth: 'none', poolSize: 4 });
    await engine.start();
    const app = new Koa();
    app.use(engine.middleware);
    const server = http.createServer({ keepAlive: true }, app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/user-tasks/search`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const floor = new pg.Client({ connectionString: databaseUrl });
    await floor.connect();

    const viaApi = (body: unknown) =>
      new Promise<number>((resolve, reject) => {
        const payload = JSON.stringify(body);
        const req = http.request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              if (res.statusCode !== 200)
                return reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString()}`));
              resolve((JSON.parse(Buffer.concat(chunks).toString()) as { items: unknown[] }).items.length);
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      });

    try {
      for (const q of QUERIES) {
        const { text, values } = q.sql(1);
        const plan = await floor.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${text}`, values);
        progress(`plan of "${q.name}" (plain SQL): ${summary(plan.rows)}`);
        // What /v2 runs: the page and the (capped) count, as compiled from the request.
        const compiled = compileSearch(userTaskSearch, q.body(1));
        for (const [part, query] of [
          ['page', compiled.rows],
          ['count', compiled.count],
        ] as const) {
          const native = query.toSQL().toNative();
          const p = await floor.query(
            `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${native.sql}`,
            native.bindings as unknown[],
          );
          progress(`plan of "${q.name}" (/v2 ${part}): ${summary(p.rows)}`);
        }
      }
      // Steady state on both sides: the /v2 path (HTTP, Koa, knex, pg) needs a few hundred requests
      // before V8 has optimised it; with 20 rounds the first query kind measured was still warming up.
      progress(`warming up (${WARM_UP_ROUNDS} rounds of each query, both sides)`);
      for (let i = 0; i < WARM_UP_ROUNDS; i++)
        for (const q of QUERIES) {
          await viaApi(q.body(i));
          const { text, values } = q.sql(i);
          await floor.query(text, values);
        }

      const ours: number[] = [];
      const peer: number[] = [];
      for (const q of QUERIES) {
        const a: number[] = [];
        const b: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          // Interleaved, so both see the same cache and machine load.
          a.push(await time(() => viaApi(q.body(i))));
          const { text, values } = q.sql(i);
          b.push(await time(() => floor.query(text, values)));
        }
        const sa = stats(a);
        const sb = stats(b);
        progress(
          `"${q.name}": /v2 p50 ${fmt(sa.p50)} ms, p95 ${fmt(sa.p95)} ms; plain SQL p50 ${fmt(sb.p50)} ms, p95 ${fmt(sb.p95)} ms`,
        );
        ours.push(...a);
        peer.push(...b);
      }
      const all = stats(ours);
      const base = stats(peer);
      progress(
        `all inbox queries: /v2 p50 ${fmt(all.p50)} ms, p95 ${fmt(all.p95)} ms; plain SQL p50 ${fmt(base.p50)} ms, p95 ${fmt(base.p95)} ms`,
      );
      return {
        metric: 'p95_latency',
        value: all.p95,
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: 'plain SQL statement (same query, same database)',
          metric: 'p95_latency',
          value: base.p95,
          unit: 'ms',
        },
      };
    } finally {
      agent.destroy();
      await floor.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.stop();
    }
  },
};
