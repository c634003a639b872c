import { BillingError } from '../../domain/billing/errors.js';
import { rebill } from '../../domain/billing/rebill.js';
import { createRun, getRun } from '../../domain/billing/runs.js';
import { computeRun } from '../../domain/billing/run-compute.js';
import { finishRun, postRun } from '../../domain/billing/run-post.js';
import billPost from '../../workers/bill-post.js';
import { addReading, billingAccount } from '../support/billing.js';
import { startBillingHarness, NOW, type BillingHarness } from './billing-harness.js';

// bill-post runs in this file's own worker, so the first acknowledgement can be lost (job delivered twice).
let h: BillingHarness;
const postDeliveries: string[] = [];
let postWorker: { stop(): void };
const PINNED = Date.parse('2026-02-05T02:00:00Z'); // 10:00 China time: bills post on 2026-02-05

beforeAll(async () => {
  h = await startBillingHarness({ except: ['bill-post'], pinAt: PINNED });
  const config = billPost(h.workerCtx);
  postWorker = h.workerClient.createJobWorker({
    ...config,
    jobTimeoutMs: 1000,
    jobHandler: async (job) => {
      postDeliveries.push(String(job.jobKey));
      if (postDeliveries.length === 1) {
        // The posting commits, then the acknowledgement is lost: the engine hands the job out again.
        await config.jobHandler({ ...job, complete: () => job.ignore() });
        // The clock is pinned: move it past the job's deadline (same day) so the job times out.
        await h.t.client.pinClock({ timestamp: PINNED + 60_000 } as never);
        return job.ignore();
      }
      return config.jobHandler(job);
    },
  });
});
afterAll(async () => {
  postWorker?.stop();
  await h?.stop();
});

const knex = () => h.t.db.knex;
const ledger = (accountId: number) =>
  knex()('cis.ledger_entries').where({ account_id: accountId }).orderBy('id').select('kind', 'amount_fen', 'ref');
const billRow = (accountId: number, period = '2026-01-01') =>
  knex()('cis.bills').where({ account_id: accountId, period }).orderBy('id');

async function startInstance(variables: Record<string, unknown>): Promise<string> {
  const created = await h.t.client.createProcessInstance({ processDefinitionId: 'bill-run' as never, variables });
  return String(created.processInstanceKey);
}

describe('bill-run', () => {
  let small: { id: number; accountNo: string };
  let big: { id: number; accountNo: string };
  let shop: { id: number; accountNo: string };
  let runId: number;
  let pi: string;

  test('compute, review above the threshold (one task per bill), post approved bills once, notify', async () => {
    small = await billingAccount(knex());
    big = await billingAccount(knex(), { phone: '010-62345678' });
    shop = await billingAccount(knex(), { customerClass: 'non_residential' });
    await addReading(knex(), small.id, '2026-01', '20');
    await addReading(knex(), big.id, '2026-01', '400');
    const wrong = await addReading(knex(), shop.id, '2026-01', '3000');

    const run = await createRun(knex(), { period: '2026-01' }, { actor: 'manager' });
    runId = run.id;
    pi = await startInstance({ runId, period: '2026-01' });

    // 400 m³: 180×345 + 80×483 + 140×1035 + 400×95 + 400×20 = 291640; 3000 m³ × 600 = 1800000; threshold 100000.
    const tasks = await h.tasks(pi, 'review', 2);
    expect(tasks.map((t) => t.candidateGroups)).toEqual([
      ['manager', 'clerk'],
      ['manager', 'clerk'],
    ]);
    const progress = await getRun(knex(), runId);
    expect(progress).toMatchObject({ status: 'reviewing', done: 3, total: 3, billsForReview: 2, etaSeconds: 0 });
    const byAccount: Record<string, string> = {};
    for (const t of tasks) {
      const vars = await h.t.client.searchVariables(
        { filter: { scopeKey: t.elementInstanceKey as never } } as never,
        NOW,
      );
      const v = Object.fromEntries(
        vars.items.map((x: { name: string; value: string }) => [x.name, JSON.parse(x.value)]),
      );
      byAccount[v.accountNo] = String(t.userTaskKey);
      if (v.accountNo === big.accountNo) expect(v.amountYuan).toBe(2916.4);
    }
    await h.t.client.completeUserTask({
      userTaskKey: byAccount[big.accountNo] as never,
      variables: { approved: true, note: '' },
    });
    await h.t.client.completeUserTask({
      userTaskKey: byAccount[shop.accountNo] as never,
      variables: { approved: false, note: '读数疑似错误 reading looks wrong' },
    });
    await h.finished(pi);

    expect(postDeliveries).toHaveLength(2);
    expect(postDeliveries[0]).toBe(postDeliveries[1]);
    expect(await ledger(small.id)).toEqual([
      { kind: 'bill', amount_fen: String(-(20 * 345 + 20 * 95 + 20 * 20)), ref: expect.stringMatching(/^bill:\d+$/) },
    ]);
    expect((await ledger(big.id)).map((e) => e.amount_fen)).toEqual(['-291640']);
    expect(await ledger(shop.id)).toEqual([]);
    const [shopBill] = await billRow(shop.id);
    expect(shopBill).toMatchObject({ status: 'rejected', note: '读数疑似错误 reading looks wrong' });
    const [bigBill] = await billRow(big.id);
    expect(bigBill.status).toBe('posted');
    expect(bigBill.due_date.toISOString().slice(0, 10)).not.toBe(''); // set
    expect(await knex().raw(`SELECT due_date::text AS d FROM cis.bills WHERE id = ?`, [bigBill.id])).toMatchObject({
      rows: [{ d: '2026-03-07' }], // posted 2026-02-05 + 30 payment days
    });
    const notes = await knex()('cis.notifications').orderBy('id');
    expect(notes.map((n) => [n.account_id, n.kind, n.channel, n.recipient])).toEqual([
      [String(small.id), 'bill_issued', 'sms', '13900139000'],
      [String(big.id), 'bill_issued', 'letter', null],
    ]);
    expect(await getRun(knex(), runId)).toMatchObject({ status: 'done', billsPosted: 2, processInstanceKey: pi });
    const audit = await knex()('cis.audit_log').where({ process_instance_key: pi }).orderBy('id');
    expect(audit.map((a) => `${a.actor} ${a.action} ${a.entity}`)).toEqual([
      'worker:bill-compute computed bill_run',
      'worker:bill-post rejected bill', // decisions in review order: the largest bill first
      'worker:bill-post approved bill',
      'worker:bill-post posted bill_run',
    ]);

    // The rejected bill: reading corrected, re-billed: a new bill, posted, pointing to the one it replaces.
    await knex()('cis.readings').where({ id: wrong }).update({ status: 'superseded' });
    await addReading(knex(), shop.id, '2026-01', '300');
    const fresh = await rebill(knex(), shopBill.id, { reason: '读数更正' }, '2026-02-06', { actor: 'clerk' });
    expect(fresh).toMatchObject({ status: 'posted', amountFen: 180000, replacesBillId: Number(shopBill.id) });
    expect((await ledger(shop.id)).map((e) => e.amount_fen)).toEqual(['-180000']);
  });

  test('the same period started twice: the API refuses (409), a second instance ends at "already running"', async () => {
    const err = await createRun(knex(), { period: '2026-01' }, { actor: 'manager' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BillingError);
    expect(err).toMatchObject({ status: 409, code: 'run_exists', field: 'period' });
    const second = await startInstance({ period: '2026-01' });
    await h.finished(second);
    const ended = await knex()('engine.record').where({
      process_instance_key: second,
      element_id: 'already-running',
      intent: 'ELEMENT_COMPLETED',
    });
    expect(ended).toHaveLength(1);
    expect(await knex()('cis.bill_runs').where({ period: '2026-01-01' })).toHaveLength(1);
    expect(await knex()('cis.bills').where({ run_id: runId })).toHaveLength(4);
  });

  test('a wrong posted bill re-billed: reversal entry and new bill both stay on the ledger', async () => {
    const [old] = await billRow(small.id);
    await knex()('cis.readings').where({ account_id: small.id }).update({ status: 'superseded' });
    await addReading(knex(), small.id, '2026-01', '2');
    const fresh = await rebill(knex(), Number(old.id), { reason: '抄错 misread' }, '2026-02-10', { actor: 'clerk' });
    expect(fresh.amountFen).toBe(2 * (345 + 95 + 20));
    expect((await ledger(small.id)).map((e) => [e.kind, e.amount_fen])).toEqual([
      ['bill', '-9200'],
      ['bill_reversal', '9200'],
      ['bill', '-920'],
    ]);
    expect((await billRow(small.id)).map((b) => b.status)).toEqual(['reversed', 'posted']);
    const again = await rebill(knex(), Number(old.id), { reason: 'again' }, '2026-02-10', { actor: 'clerk' }).catch(
      (e: unknown) => e,
    );
    expect(again).toMatchObject({ status: 409, code: 'not_rebillable' });
    const notes = await knex()('cis.notifications').where({ account_id: small.id }).orderBy('id');
    expect(notes.map((n) => n.kind)).toEqual(['bill_issued', 'bill_reissued']);
  });

  test('every step repeated after the run (a late redelivery) changes nothing', async () => {
    const before = await knex()('cis.ledger_entries').count('* as n').first();
    const notes = await knex()('cis.notifications').count('* as n').first();
    expect((await computeRun(knex(), runId)).review).toEqual([]);
    expect(await postRun(knex(), runId, [{ billId: 1, approved: true }], '2026-02-07', { actor: 'x' })).toMatchObject({
      posted: 0,
    });
    expect(await finishRun(knex(), runId)).toEqual({ notifications: 0 });
    expect(await knex()('cis.ledger_entries').count('* as n').first()).toEqual(before);
    expect(await knex()('cis.notifications').count('* as n').first()).toEqual(notes);
  });

  test('started directly with a period (modeler, another system): the instance opens the run itself', async () => {
    const pi = await startInstance({ period: '2026-03' });
    await h.finished(pi);
    const [run] = await knex()('cis.bill_runs').where({ period: '2026-03-01' });
    expect(run).toMatchObject({
      process_instance_key: pi,
      status: 'done',
      accounts_total: 0,
      started_by: 'worker:bill-run-open',
    });
  });
});
