// `npm run bill-run -- --period 2026-11 [--url URL] [--user NAME] [--threshold FEN]`: starts the period's bill
// run on a running Aquaflow (or joins the run already there) and follows its progress on stderr; the run as
// JSON on stdout at the end. Password from AQUAFLOW_PASSWORD (default: the demo password).
import { parseArgs } from 'node:util';

const USAGE =
  'Usage: npm run bill-run -- --period YYYY-MM [--url http://localhost:8080] [--user manager] [--threshold FEN]';

function fail(message: string, code = 1): never {
  process.stderr.write(`bill-run: ${message}\n`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      period: { type: 'string' },
      url: { type: 'string', default: process.env.AQUAFLOW_URL ?? 'http://localhost:8080' },
      user: { type: 'string', default: process.env.AQUAFLOW_USER ?? 'manager' },
      threshold: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  fail(`${(err as Error).message.split('\n')[0]}\n${USAGE}`, 2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!values.period || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.period)) fail(`--period must be YYYY-MM\n${USAGE}`, 2);
const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
if (threshold !== undefined && !(Number.isInteger(threshold) && threshold >= 0))
  fail(`--threshold must be a whole number of fen\n${USAGE}`, 2);
const base = values.url!.replace(/\/$/, '');

interface Run {
  id: number;
  period: string;
  status: string;
  done: number;
  total: number | null;
  rate: number | null;
  etaSeconds: number | null;
  billsForReview: number;
  billsPosted: number;
}

async function call(method: string, path: string, cookie?: string, body?: unknown) {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(cookie ? { Cookie: cookie } : {}),
        'X-Aquaflow-Request': '1',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    fail(`cannot reach ${base}: ${(err as Error).message}`);
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  return { status: res.status, json, cookie: res.headers.get('set-cookie')?.split(';')[0] };
}

const session = await call('POST', '/api/session', undefined, {
  username: values.user,
  password: process.env.AQUAFLOW_PASSWORD ?? 'demo',
});
if (session.status !== 201 || !session.cookie)
  fail(`sign-in as ${values.user} failed: ${session.json.detail ?? session.status}`);
const cookie = session.cookie;

const started = await call('POST', '/api/billing/runs', cookie, {
  period: values.period,
  reviewThresholdFen: threshold,
});
let runId: number;
if (started.status === 201) {
  runId = started.json.id;
  process.stderr.write(`bill-run ${values.period}: run ${runId} started\n`);
} else if (started.status === 409 && started.json.code === 'run_exists') {
  const list = await call('GET', '/api/billing/runs', cookie);
  const existing = (list.json.items as Run[]).find((r) => r.period === values.period);
  if (!existing) fail(started.json.detail);
  runId = existing.id;
  process.stderr.write(`bill-run ${values.period}: joining run ${runId}, already ${existing.status}\n`);
} else fail(`${started.status}: ${started.json.detail ?? 'refused'}`);

const line = (r: Run) => {
  const pct = r.total ? ` (${Math.floor((100 * r.done) / r.total)} %)` : '';
  const rate = r.rate !== null ? `, ${r.rate} accounts/s` : '';
  const eta = r.etaSeconds !== null && r.status === 'computing' ? `, ETA ${r.etaSeconds} s` : '';
  return `bill-run ${r.period}: ${r.status} ${r.done}/${r.total ?? '?'}${pct}${rate}${eta}`;
};
let last = '';
for (;;) {
  const r = await call('GET', `/api/billing/runs/${runId}`, cookie);
  if (r.status !== 200) fail(`${r.status}: ${r.json.detail}`);
  const run = r.json as Run;
  const now = line(run);
  if (now !== last) process.stderr.write(`${now}\n`);
  last = now;
  if (run.status === 'done' || run.status === 'failed') {
    process.stdout.write(`${JSON.stringify(run)}\n`);
    process.exit(run.status === 'done' ? 0 : 1);
  }
  if (run.status === 'reviewing' && run.billsForReview > 0) {
    process.stderr.write(`bill-run ${run.period}: ${run.billsForReview} bills wait for review in the inbox\n`);
    process.stdout.write(`${JSON.stringify(run)}\n`);
    process.exit(0);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
