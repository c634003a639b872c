import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import type { Knex } from '../../db/index.js';
import { seedDemoAccounts } from '../../db/seeds/accounts/generate.js';
import { seedDemoTariffs } from '../../db/seeds/billing/demo-tariffs.js';
import { accountsWithOpenCredit, settleAccounts } from '../../domain/ledger/service.js';
import { closedLoop } from '../closed-loop.js';
import { postgresCpuMs } from '../process-cpu.js';
import type { Scenario } from '../scenario.js';

/** Payments in flight at once, on both sides (closed loop). */
const CONCURRENCY = 16;
/** Payments per account (accounts = size / 10 per side). */
const PAYMENTS_PER_ACCOUNT = 10;
/** One payment in ten is submitted a second time with the same serial: it must be answered, not posted again. */
const RESUBMIT_EVERY = 10;
/** How far behind its first submission a resubmission is sent (a double click, a retry after a timeout). */
const RESUBMIT_LAG = 50;
/** Payments posted before measuring, on both sides: connections, plans, V8's optimisation of the hot paths. */
const WARM_UP = 500;
/** One account in this many awaits the settlement of its arrears (a held transfer). */
const WAITED_EVERY = 100;
/** Serials probed at the end with another amount: 409, nothing posted. */
const CONFLICT_PROBES = 5;
const METHODS = ['cash', 'card', 'qr', 'cheque', 'transfer'] as const;
const BILL_PERIOD = '2026-11-01';
const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..', '..');

type Method = (typeof METHODS)[number];
interface Payment {
  serial: string;
  accountNo: string;
  accountId: number;
  amountFen: number;
  method: Method;
}
interface Side {
  ids: number[];
  accountNos: string[];
}

/** A small seeded PRNG (mulberry32): the same size gives the same payments. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** `count` payments of 1.00–200.00 yuan to random accounts of one side. */
function payments(side: Side, count: number, serialPrefix: string, seed: number): Payment[] {
  const random = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const k = Math.floor(random() * side.ids.length);
    return {
      serial: `${serialPrefix}-${i}`,
      accountNo: side.accountNos[k],
      accountId: side.ids[k],
      amountFen: 100 + Math.floor(random() * 19901),
      method: METHODS[Math.floor(random() * METHODS.length)],
    };
  });
}

function percentile(ms: number[], p: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** CPU time (ms) of one process so far, from /proc (Linux; null elsewhere). */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || !fs.existsSync(`/proc/${pid}/stat`)) return null;
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
}

/**
 * `2 × size / 10` new accounts (set-based, as the demo seed makes them), closed ones left out, split in two
 * sides (ours and the peer's, so the two never touch the same account). Each gets a real bill — a cis.bills row,
 * posted, with its `bill` entry on the ledger, 50–500 yuan — settled from prepaid credit where there is any.
 */
async function seed(knex: Knex, perSide: number, progress: (m: string) => void): Promise<{ ours: Side; peer: Side }> {
  const before = Number((await knex('cis.accounts').max('id as id').first())?.id ?? 0);
  let t = Date.now();
  // ~1 % of the generated accounts are closed (they refuse payments): a few more make up for them.
  const count = Math.ceil(2 * perSide * 1.02) + 2;
  await seedDemoAccounts(knex, { count, seed: 17, log: (l) => progress(`  ${l}`) });
  progress(`${count} accounts generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  await seedDemoTariffs(knex);
  const rows: Array<{ id: string; account_no: string }> = await knex('cis.accounts')
    .where('id', '>', before)
    .whereNot('status', 'closed')
    .orderBy('id')
    .limit(2 * perSide)
    .select('id', 'account_no');
  if (rows.length < 2 * perSide) throw new Error(`only ${rows.length} open accounts generated, ${2 * perSide} needed`);
  const ids = rows.map((r) => Number(r.id));
  t = Date.now();
  await knex.transaction(async (trx) => {
    await trx.raw(
      `WITH bills AS (
         INSERT INTO cis.bills (account_id, period, tariff_id, household_size, volume, amount_fen, status, due_date,
                                posted_at, note)
         SELECT a.id, ?::date, t.id, a.household_size, 12.000, 5000 + (a.id * 7919) % 45001, 'posted',
                ?::date + 30, now(), 'bench: payment-post'
         FROM cis.accounts a
         CROSS JOIN LATERAL (SELECT id FROM cis.tariffs ORDER BY customer_class = a.customer_class DESC, id LIMIT 1) t
         WHERE a.id = ANY(?)
         RETURNING id, account_id, amount_fen
       )
       INSERT INTO cis.ledger_entries (account_id, kind, amount_fen, ref, bill_id)
       SELECT account_id, 'bill', -amount_fen, 'bill:' || id, id FROM bills`,
      [BILL_PERIOD, BILL_PERIOD, ids],
    );
    // As postBills does: accounts holding prepaid credit settle their new bill from it (the demo seed's are settled).
    const withCredit = await accountsWithOpenCredit(trx, ids);
    if (withCredit.length > 0) await settleAccounts(trx, withCredit);
  });
  for (const table of ['accounts', 'bills', 'ledger_entries', 'allocations', 'payments'])
    await knex.raw(`VACUUM ANALYZE cis.${table}`);
  progress(`${ids.length} bills posted and settled in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const side = (k: number): Side => {
    const picked = rows.filter((_, i) => i % 2 === k);
    return { ids: picked.map((r) => Number(r.id)), accountNos: picked.map((r) => r.account_no) };
  };
  return { ours: side(0), peer: side(1) };
}

/**
 * A cashier of its own (role cashier, random password), so the run's session and its payments are its own; the role
 * may publish messages on the engine.
 */
async function createCashier(knex: Knex, username: string): Promise<string> {
  const password = crypto.randomBytes(18).toString('base64url');
  await knex.transaction(async (trx) => {
    const [{ id }] = await trx('cis.users')
      .insert({ username, display_name: 'Bench cashier', password_hash: await hash(password) })
      .returning('id');
    await trx('cis.user_roles').insert({ user_id: id, role: 'cashier' });
  });
  return password;
}

interface App {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Aquaflow as `npm start` runs it (server/lifecycle.ts: migrations, embedded engine, the whole HTTP stack, its
 * own database pool), in a process of its own as in a deployment, so the load generator does not share its event
 * loop. Processes are not deployed and no job workers run: posting a payment needs neither.
 */
async function startApp(databaseUrl: string, progress: (m: string) => void): Promise<App> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for this process
  // BENCH_CPU_PROF=<dir>: the app writes a V8 CPU profile there when it stops (where its milliseconds go)
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', SELF, '--serve'], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // The app's warnings and errors (pino JSON on stderr): the first of each kind shown, then counted.
  let stderr = '';
  let partial = '';
  const seen = new Map<string, number>();
  child.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
    const lines = (partial + c.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.trim())) {
      let kind = line.slice(0, 120);
      try {
        const j = JSON.parse(line) as { msg?: string; status?: number };
        kind = `${j.msg}${j.status ? ` (${j.status})` : ''}`;
      } catch {
        // not a log line
      }
      const n = (seen.get(kind) ?? 0) + 1;
      seen.set(kind, n);
      if (n === 1) progress(`  app: ${line.trim().slice(0, 400)}`);
    }
  });
  const summary = () => {
    for (const [kind, n] of seen) progress(`  app logged ${n} × ${kind}`);
  };
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /^SERVING (\S+)$/m.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before it answered: ${stderr.trim()}`)));
  });
  child.stdout!.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    child,
    async stop() {
      child.stdin!.end(); // the app stops in order when its stdin closes
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(timer);
      summary();
    },
  };
}

/** `--serve`: the app for startApp; prints `SERVING <url>`, stops when stdin closes. */
async function serve(): Promise<void> {
  const { default: pino } = await import('pino');
  const { loadConfig } = await import('../../platform/config.js');
  const { startAquaflow } = await import('../../server/lifecycle.js');
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL }, pino.destination(2));
  const running = await startAquaflow(config, {
    logger,
    buildWeb: false,
    deployProcesses: false,
    workers: [],
    demoAccounts: 0,
  });
  process.stdout.write(`SERVING ${running.url.replace('localhost', '127.0.0.1')}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

interface Reply {
  status: number;
  body: {
    replayed?: boolean;
    payments?: Array<{ paymentId: number; accountNo: string; amountFen: number }>;
    [k: string]: unknown;
  };
}

function httpClient(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const request = (method: string, url: string, body: unknown, headers: Record<string, string>) =>
    new Promise<Reply & { headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = http.request(
        base + url,
        {
          method,
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let parsed: Reply['body'] = {};
            try {
              parsed = text ? JSON.parse(text) : {};
            } catch {
              parsed = { text };
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { request, close: () => agent.destroy() };
}

const bodyOf = (p: Payment, amountFen = p.amountFen) => ({
  serial: p.serial,
  method: p.method,
  items: [{ accountNo: p.accountNo, amount: yuan(amountFen) }],
  // cash is tendered in whole ten-yuan notes
  ...(p.method === 'cash' ? { tendered: yuan(Math.ceil(amountFen / 1000) * 1000) } : {}),
});

interface OursRun {
  seconds: number;
  postMs: number[];
  replayMs: number[];
  replays: number;
  appCpuMs: number | null;
  pgCpuMs: number | null;
}

/** Ours: POST /api/payments as the cashier, closed loop; every tenth payment resubmitted RESUBMIT_LAG later. */
async function runOurs(
  app: App,
  cookie: string,
  list: Payment[],
  warmUp: Payment[],
  database: string,
  progress: (m: string) => void,
): Promise<OursRun> {
  const client = httpClient(app.url);
  const headers = { cookie, 'x-aquaflow-request': '1' };
  const posted = new Map<string, Promise<number>>(); // serial → paymentId of its first post
  let failure: Error | undefined;
  const fail = (m: string) => (failure ??= new Error(m));

  const post = async (p: Payment): Promise<number> => {
    const r = await client.request('POST', '/api/payments', bodyOf(p), headers);
    const first = r.body.payments?.[0];
    if (r.status !== 201 || r.body.replayed !== false || !first)
      throw fail(
        `POST /api/payments ${p.serial}: expected 201, got ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`,
      );
    if (first.accountNo !== p.accountNo || first.amountFen !== p.amountFen)
      throw fail(`POST /api/payments ${p.serial}: posted ${JSON.stringify(first)} for ${p.accountNo} ${p.amountFen}`);
    return first.paymentId;
  };
  const replay = async (p: Payment): Promise<void> => {
    const firstId = await posted.get(p.serial)!; // a resubmission follows its first submission's answer
    const r = await client.request('POST', '/api/payments', bodyOf(p), headers);
    if (r.status !== 200 || r.body.replayed !== true || r.body.payments?.[0]?.paymentId !== firstId)
      throw fail(
        `resubmitted ${p.serial}: expected 200 replayed with payment ${firstId}, got ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`,
      );
  };

  // The job list: every payment once, and every RESUBMIT_EVERY-th again RESUBMIT_LAG jobs later.
  type Job = { kind: 'post' | 'replay'; p: Payment };
  const jobs: Job[] = [];
  const resubmitted = list.filter((_, i) => i % RESUBMIT_EVERY === 3);
  const lagged = new Map(resubmitted.map((p) => [list.indexOf(p) + RESUBMIT_LAG, p]));
  list.forEach((p, i) => {
    jobs.push({ kind: 'post', p });
    const r = lagged.get(i);
    if (r) {
      jobs.push({ kind: 'replay', p: r });
      lagged.delete(i);
    }
  });
  for (const p of lagged.values()) jobs.push({ kind: 'replay', p });

  try {
    progress(`ours: warming up with ${warmUp.length} payments`);
    await closedLoop(warmUp.length, CONCURRENCY, async (i) => {
      if (!failure) await post(warmUp[i]).catch(() => {});
    });
    if (failure) throw failure;

    const postMs: number[] = [];
    const replayMs: number[] = [];
    const pgBefore = postgresCpuMs(database);
    const appBefore = processCpuMs(app.child.pid);
    const timer = setInterval(() => progress(`  ${postMs.length} / ${list.length} posted`), 10000);
    let run;
    try {
      run = await closedLoop(jobs.length, CONCURRENCY, async (i) => {
        if (failure) return;
        const job = jobs[i];
        const t = process.hrtime.bigint();
        try {
          if (job.kind === 'post') {
            const id = post(job.p);
            posted.set(job.p.serial, id);
            await id;
            postMs.push(Number(process.hrtime.bigint() - t) / 1e6);
          } else {
            await replay(job.p);
            replayMs.push(Number(process.hrtime.bigint() - t) / 1e6);
          }
        } catch (err) {
          fail((err as Error).message);
        }
      });
    } finally {
      clearInterval(timer);
    }
    if (failure) throw failure;
    const pgAfter = postgresCpuMs(database);
    const appAfter = processCpuMs(app.child.pid);

    // A serial reused with another amount is refused (409) and posts nothing (the count check below sees it).
    for (const p of list.slice(0, CONFLICT_PROBES)) {
      const r = await client.request('POST', '/api/payments', bodyOf(p, p.amountFen + 1), headers);
      if (r.status !== 409)
        throw new Error(`${p.serial} resubmitted with another amount: expected 409, got ${r.status}`);
    }
    return {
      seconds: run.seconds,
      postMs,
      replayMs,
      replays: replayMs.length,
      appCpuMs: appBefore !== null && appAfter !== null ? appAfter - appBefore : null,
      pgCpuMs: pgBefore !== null && pgAfter !== null ? pgAfter - pgBefore : null,
    };
  } finally {
    client.close();
  }
}

/**
 * The peer: what a first version does — one transaction per payment straight against PostgreSQL: lock the
 * account, read its open bills (amount less what is allocated to them), allocate oldest due first in TypeScript,
 * write the payment entry, the payment row and the allocation rows. No idempotency table, no session, no audit,
 * no HTTP. Same concurrency, its own accounts.
 */
async function naivePost(pool: pg.Pool, p: Payment): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const { rows: acc } = await c.query(`SELECT id FROM cis.accounts WHERE account_no = $1 FOR UPDATE`, [p.accountNo]);
    const accountId = acc[0].id;
    const { rows: debts } = await c.query(
      `SELECT e.id, -e.amount_fen - coalesce((SELECT sum(a.amount_fen) FROM cis.allocations a WHERE a.debit_entry_id = e.id), 0) AS open
       FROM cis.ledger_entries e LEFT JOIN cis.bills b ON b.id = e.bill_id
       WHERE e.account_id = $1 AND e.amount_fen < 0
       ORDER BY coalesce(b.due_date, e.created_at::date), e.id`,
      [accountId],
    );
    const { rows: entry } = await c.query(
      `INSERT INTO cis.ledger_entries (account_id, kind, amount_fen, ref) VALUES ($1, 'payment', $2, $3) RETURNING id`,
      [accountId, p.amountFen, `payment:counter:${p.serial}`],
    );
    await c.query(
      `INSERT INTO cis.payments (channel, serial, method, account_id, amount_fen, batch, cashier, entry_id, business_day)
       VALUES ('counter', $1, $2, $3, $4, $1, 'bench-peer', $5, current_date)`,
      [p.serial, p.method, accountId, p.amountFen, entry[0].id],
    );
    let left = p.amountFen;
    const values: unknown[] = [];
    for (const d of debts) {
      const take = Math.min(left, Number(d.open));
      if (take <= 0) continue;
      values.push(accountId, entry[0].id, d.id, take);
      left -= take;
      if (left === 0) break;
    }
    if (values.length)
      await c.query(
        `INSERT INTO cis.allocations (account_id, credit_entry_id, debit_entry_id, amount_fen) VALUES ${Array.from(
          { length: values.length / 4 },
          (_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}, $${4 * i + 4})`,
        ).join(', ')}`,
        values,
      );
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

async function runPeer(databaseUrl: string, list: Payment[], warmUp: Payment[], database: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CONCURRENCY });
  try {
    await closedLoop(warmUp.length, CONCURRENCY, (i) => naivePost(pool, warmUp[i]));
    const pgBefore = postgresCpuMs(database);
    const cpu = process.cpuUsage();
    const ms: number[] = [];
    const run = await closedLoop(list.length, CONCURRENCY, async (i) => {
      const t = process.hrtime.bigint();
      await naivePost(pool, list[i]);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    });
    const used = process.cpuUsage(cpu);
    const pgAfter = postgresCpuMs(database);
    return {
      seconds: run.seconds,
      ms,
      clientCpuMs: (used.user + used.system) / 1000,
      pgCpuMs: pgBefore !== null && pgAfter !== null ? pgAfter - pgBefore : null,
    };
  } finally {
    await pool.end();
  }
}

/**
 * The run's checks, in SQL over the whole database; a failure fails the scenario. Returns what was checked.
 */
async function check(
  knex: Knex,
  expect: { prefix: string; count: number; amountFen: number; accounts: number[] }[],
): Promise<string[]> {
  const problems: string[] = [];
  const said: string[] = [];
  for (const e of expect) {
    const { rows } = await knex.raw(
      `SELECT count(*)::int AS payments, count(DISTINCT (channel, serial))::int AS serials,
              coalesce(sum(amount_fen), 0)::bigint AS amount,
              (SELECT count(*)::int FROM cis.ledger_entries
               WHERE kind = 'payment' AND ref LIKE 'payment:counter:' || :prefix || '-%') AS entries
       FROM cis.payments WHERE serial LIKE :prefix || '-%'`,
      { prefix: e.prefix },
    );
    const r = rows[0];
    if (r.payments !== e.count || r.serials !== e.count || Number(r.entries) !== e.count)
      problems.push(
        `${e.prefix}: ${r.payments} payment rows, ${r.serials} distinct (channel, serial), ${r.entries} payment entries; ${e.count} serials were posted`,
      );
    if (Number(r.amount) !== e.amountFen)
      problems.push(`${e.prefix}: ${r.amount} fen posted, ${e.amountFen} fen were paid`);
    said.push(`${e.prefix}: ${r.payments} payments for ${e.count} serials`);
  }

  // Every allocation moves the same fen off one credit and one debt of one account: per account the ledger's
  // sum equals open credits less open debts.
  const { rows: balance } = await knex.raw(
    `WITH c AS (SELECT credit_entry_id AS id, sum(amount_fen) AS s FROM cis.allocations GROUP BY 1),
          d AS (SELECT debit_entry_id AS id, sum(amount_fen) AS s FROM cis.allocations GROUP BY 1),
          per_account AS (
            SELECT e.account_id, sum(e.amount_fen) AS balance,
                   sum(CASE WHEN e.amount_fen > 0 THEN e.amount_fen - coalesce(c.s, 0) ELSE 0 END) AS open_credit,
                   sum(CASE WHEN e.amount_fen < 0 THEN -e.amount_fen - coalesce(d.s, 0) ELSE 0 END) AS open_debt
            FROM cis.ledger_entries e LEFT JOIN c ON c.id = e.id LEFT JOIN d ON d.id = e.id
            GROUP BY e.account_id
          )
     SELECT count(*)::int AS accounts, count(*) FILTER (WHERE balance <> open_credit - open_debt)::int AS bad,
            min(account_id) FILTER (WHERE balance <> open_credit - open_debt) AS example
     FROM per_account`,
  );
  if (balance[0].bad > 0)
    problems.push(
      `${balance[0].bad} accounts whose ledger sum is not open credits − open debts (e.g. account ${balance[0].example})`,
    );
  said.push(`sum(ledger) = open credits − open debts on all ${balance[0].accounts} accounts`);

  // No allocation takes more than its entries hold, on the right side of the ledger, within one account.
  const { rows: over } = await knex.raw(
    `SELECT
       (SELECT count(*)::int FROM (
          SELECT a.credit_entry_id FROM cis.allocations a JOIN cis.ledger_entries e ON e.id = a.credit_entry_id
          GROUP BY a.credit_entry_id, e.amount_fen HAVING e.amount_fen <= 0 OR sum(a.amount_fen) > e.amount_fen OR sum(a.amount_fen) < 0) x) AS credits,
       (SELECT count(*)::int FROM (
          SELECT a.debit_entry_id FROM cis.allocations a JOIN cis.ledger_entries e ON e.id = a.debit_entry_id
          GROUP BY a.debit_entry_id, e.amount_fen HAVING e.amount_fen >= 0 OR sum(a.amount_fen) > -e.amount_fen OR sum(a.amount_fen) < 0) x) AS debts,
       (SELECT count(*)::int FROM cis.allocations a
          JOIN cis.ledger_entries c ON c.id = a.credit_entry_id JOIN cis.ledger_entries d ON d.id = a.debit_entry_id
          WHERE c.account_id <> a.account_id OR d.account_id <> a.account_id) AS crossed,
       (SELECT count(*)::int FROM cis.allocations) AS allocations`,
  );
  const o = over[0];
  if (o.credits > 0) problems.push(`${o.credits} credit entries allocated beyond their amount (or a debt as credit)`);
  if (o.debts > 0) problems.push(`${o.debts} debt entries allocated beyond their amount (or a credit as debt)`);
  if (o.crossed > 0) problems.push(`${o.crossed} allocations between entries of another account`);
  said.push(`none of ${o.allocations} allocations exceeds its entries`);

  // The paid accounts settled: none keeps open credit and open debt at once.
  const ids = expect.flatMap((e) => e.accounts);
  const { rows: both } = await knex.raw(
    `WITH e AS (SELECT id, account_id, amount_fen FROM cis.ledger_entries WHERE account_id = ANY(:ids)),
          c AS (SELECT a.credit_entry_id AS id, sum(a.amount_fen) AS s FROM cis.allocations a
                WHERE a.account_id = ANY(:ids) GROUP BY 1),
          d AS (SELECT a.debit_entry_id AS id, sum(a.amount_fen) AS s FROM cis.allocations a
                WHERE a.account_id = ANY(:ids) GROUP BY 1)
     SELECT count(*)::int AS n FROM (
       SELECT e.account_id FROM e LEFT JOIN c ON c.id = e.id LEFT JOIN d ON d.id = e.id GROUP BY e.account_id
       HAVING sum(e.amount_fen - coalesce(c.s, 0)) FILTER (WHERE e.amount_fen > 0) > 0
          AND sum(-e.amount_fen - coalesce(d.s, 0)) FILTER (WHERE e.amount_fen < 0) > 0) x`,
    { ids },
  );
  if (both[0].n > 0) problems.push(`${both[0].n} paid accounts hold open credit and open debt at once`);
  said.push(`none of the ${ids.length} paid accounts holds open credit and open debt at once`);

  if (problems.length) throw new Error(`payment-post checks failed:\n  - ${problems.join('\n  - ')}`);
  return said;
}

/**
 * Every awaited account whose arrears were cleared was announced once (its wait taken, one `arrears-settled`
 * for it on the engine); an account still in arrears keeps its wait; nothing else was announced.
 */
async function checkAnnouncements(knex: Knex, waited: number[]): Promise<string> {
  const { rows } = await knex.raw(
    `WITH w AS (
       SELECT a.id, a.account_no, (SELECT sum(amount_fen) FROM cis.ledger_entries e WHERE e.account_id = a.id) AS balance,
              EXISTS (SELECT 1 FROM cis.settlement_waits s WHERE s.account_id = a.id) AS waiting,
              (SELECT count(*) FROM engine.message m WHERE m.name = 'arrears-settled' AND m.correlation_key = a.account_no) AS told
       FROM cis.accounts a WHERE a.id = ANY(:waited))
     SELECT count(*) FILTER (WHERE NOT waiting AND told = 1)::int AS announced,
            count(*) FILTER (WHERE waiting AND balance < 0 AND told = 0)::int AS still_waiting,
            (SELECT count(*)::int FROM engine.message WHERE name = 'arrears-settled') AS messages
     FROM w`,
    { waited },
  );
  const r = rows[0];
  if (r.announced + r.still_waiting !== waited.length || r.messages !== r.announced)
    throw new Error(
      `payment-post: of ${waited.length} awaited accounts ${r.announced} were announced once and ${r.still_waiting} still wait; ${r.messages} arrears-settled messages in all`,
    );
  return `${r.announced} of ${waited.length} awaited accounts settled and announced once (${r.still_waiting} still in arrears), no other announcement`;
}

export const paymentPost: Scenario = {
  description:
    'counter payments through POST /api/payments (cashier session, 16 at a time, 10 % resubmitted) over size/10 billed accounts vs a naive read-allocate-write transaction per payment',
  defaultSize: 100_000,
  async run({ databaseUrl, knex, size, progress }) {
    const perSide = Math.max(1, Math.ceil(size / PAYMENTS_PER_ACCOUNT));
    const warmUpCount = Math.min(WARM_UP, size);
    const tag = `PB${Date.now().toString(36).toUpperCase()}`;
    progress(`${perSide} accounts a side, ${size} payments a side (+${warmUpCount} warm-up), run ${tag}`);
    const { ours, peer } = await seed(knex, perSide, progress);
    // One of our accounts in WAITED_EVERY has a transfer held for its arrears (its balance check registered the
    // wait): the payment that clears them announces `arrears-settled` on the engine; the others announce nothing.
    const waited = ours.ids.filter((_, i) => i % WAITED_EVERY === 0);
    await knex('cis.settlement_waits').insert(waited.map((id) => ({ account_id: id })));
    const database = new URL(databaseUrl).pathname.slice(1);

    const cashier = `bench-cashier-${tag.toLowerCase()}`;
    const password = await createCashier(knex, cashier);
    const ourList = payments(ours, size, tag, 1);
    const ourWarmUp = payments(ours, warmUpCount, `${tag}W`, 2);

    progress('starting the app');
    const app = await startApp(databaseUrl, progress);
    let oursRun: OursRun;
    try {
      const client = httpClient(app.url);
      const signIn = await client.request('POST', '/api/session', { username: cashier, password }, {});
      client.close();
      if (signIn.status !== 201) throw new Error(`sign-in of ${cashier} failed: ${signIn.status}`);
      const cookie = String(signIn.headers['set-cookie']?.[0] ?? '').split(';')[0];
      progress(`ours: ${size} payments (+${Math.floor((size + 6) / RESUBMIT_EVERY)} resubmitted) at ${app.url}`);
      oursRun = await runOurs(app, cookie, ourList, ourWarmUp, database, progress);
    } finally {
      await app.stop();
    }
    const oursRate = size / oursRun.seconds;
    const per = (ms: number | null, n: number) => (ms === null ? 'n/a' : `${(ms / n).toFixed(2)} ms`);
    progress(
      `ours: ${oursRate.toFixed(0)} payments/s (${oursRun.seconds.toFixed(1)} s), latency p50 ${percentile(oursRun.postMs, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(oursRun.postMs, 95).toFixed(1)} ms, p99 ${percentile(oursRun.postMs, 99).toFixed(1)} ms; ` +
        `${oursRun.replays} resubmissions answered replayed (p95 ${percentile(oursRun.replayMs, 95).toFixed(1)} ms); ` +
        `CPU per payment: app ${per(oursRun.appCpuMs, size)}, PostgreSQL ${per(oursRun.pgCpuMs, size)}`,
    );

    const peerList = payments(peer, size, `PEER${tag}`, 1);
    const peerWarmUp = payments(peer, warmUpCount, `PEER${tag}W`, 2);
    progress(`peer: ${size} naive read-allocate-write transactions, ${CONCURRENCY} at a time`);
    const peerRun = await runPeer(databaseUrl, peerList, peerWarmUp, database);
    const peerRate = size / peerRun.seconds;
    progress(
      `peer: ${peerRate.toFixed(0)} payments/s (${peerRun.seconds.toFixed(1)} s), latency p50 ${percentile(peerRun.ms, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(peerRun.ms, 95).toFixed(1)} ms, p99 ${percentile(peerRun.ms, 99).toFixed(1)} ms; ` +
        `CPU per payment: client ${per(peerRun.clientCpuMs, size)}, PostgreSQL ${per(peerRun.pgCpuMs, size)}`,
    );
    progress(
      `latency ${JSON.stringify({
        unit: 'ms',
        ours: { p50: percentile(oursRun.postMs, 50), p95: percentile(oursRun.postMs, 95) },
        peer: { p50: percentile(peerRun.ms, 50), p95: percentile(peerRun.ms, 95) },
      })}`,
    );

    const sum = (l: Payment[]) => l.reduce((s, p) => s + p.amountFen, 0);
    const said = await check(knex, [
      { prefix: tag, count: size, amountFen: sum(ourList), accounts: ours.ids },
      { prefix: `${tag}W`, count: warmUpCount, amountFen: sum(ourWarmUp), accounts: [] },
      { prefix: `PEER${tag}`, count: size, amountFen: sum(peerList), accounts: peer.ids },
      { prefix: `PEER${tag}W`, count: warmUpCount, amountFen: sum(peerWarmUp), accounts: [] },
    ]);
    said.push(await checkAnnouncements(knex, waited));
    for (const s of said) progress(`check passed: ${s}`);

    return {
      metric: 'payments_per_second',
      value: oursRate,
      unit: 'payments/s',
      better: 'higher',
      baseline: {
        name: 'naive read-allocate-write transaction per payment (TypeScript loop on pg, no HTTP, no idempotency)',
        metric: 'payments_per_second',
        value: peerRate,
        unit: 'payments/s',
      },
    };
  },
};

if (process.argv[1] === SELF && process.argv.includes('--serve')) await serve();
