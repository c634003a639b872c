import { MeteringService } from '../../domain/metering/service.js';
import { PaymentsService } from '../../domain/payments/service.js';
import accountFinalBill from '../../workers/account-final-bill.js';
import accountRefundRequest from '../../workers/account-refund-request.js';
import { eventually } from '../support/records.js';
import { accountRow, startAccountsHarness, type AccountsHarness } from './accounts-harness.js';

// Demo residential tariff (fen per m³): water 345 (first annual tier, up to 180 m³) + sewage 95 + resource 20;
// each line rounded half-up. Residential bills fall due 30 days after posting.
let h: AccountsHarness;
beforeAll(async () => {
  h = await startAccountsHarness();
});
afterAll(async () => {
  await h?.stop();
});

const NOW = { consistency: { waitUpToMs: 0 } } as never;
const start = async (accountNo: string) =>
  (
    await h.t.client.createProcessInstance({
      processDefinitionId: 'account-demolition' as never,
      variables: { accountNo },
    })
  ).processInstanceKey;

let serials = 0;
const pay = (accountNo: string, amount: string) =>
  new PaymentsService(h.t.db.knex).post(
    { serial: `demolition-${++serials}`, method: 'cash', items: [{ accountNo, amount }] },
    { actor: 'cashier-test' },
  );

async function ledger(accountNo: string) {
  const account = await accountRow(h, accountNo);
  const rows = await h.t.db.knex('cis.ledger_entries').where({ account_id: account.id }).orderBy('id');
  return rows.map((e) => [e.kind, Number(e.amount_fen)]);
}

async function billsOf(accountNo: string) {
  const account = await accountRow(h, accountNo);
  const bills = await h.t.db
    .knex('cis.bills')
    .where({ account_id: account.id })
    .orderBy('period')
    .select('*', h.t.db.knex.raw(`to_char(period, 'YYYY-MM') AS month`));
  return Promise.all(
    bills.map(async (b) => ({
      period: b.month,
      runId: b.run_id,
      status: b.status,
      volume: b.volume,
      amountFen: Number(b.amount_fen),
      lines: (await h.t.db.knex('cis.bill_lines').where({ bill_id: b.id }).orderBy('line_no')).map((l) => [
        l.component,
        l.volume,
        Number(l.amount_fen),
      ]),
    })),
  );
}

const waitingFor = async (pi: string, messageName: string) =>
  eventually(async () => {
    const subs = await h.t.client.searchMessageSubscriptions(
      { filter: { processInstanceKey: pi as never, messageSubscriptionState: 'CREATED' } } as never,
      NOW,
    );
    return (subs.items ?? []).find((s) => s.messageName === messageName);
  });

const endedAt = async (pi: string, elementId: string) =>
  h.t.db.knex('engine.record').where({ process_instance_key: pi, element_id: elementId, intent: 'ELEMENT_COMPLETED' });

/** Hands a worker a job again (its acknowledgement lost): the same job key, or a new one (the step run again). */
async function deliver(factory: typeof accountFinalBill, pi: string, jobKey: string, purpose = 'demolition') {
  let outcome: Record<string, unknown> | undefined;
  await (factory(h.workerCtx).jobHandler as (j: unknown) => Promise<unknown>)({
    jobKey,
    processInstanceKey: pi,
    variables: await h.variables(pi),
    customHeaders: { purpose },
    complete: async (v: Record<string, unknown>) => void (outcome = v),
    error: async (e: unknown) => void (outcome = { error: e }),
  });
  return outcome;
}
const jobOf = (pi: string, type: string) =>
  h.t.db.knex('engine.job').where({ process_instance_key: pi, type }).orderBy('key', 'desc').first();

const incidentsOf = async (pi: string) =>
  (await h.t.client.searchIncidents({ filter: { processInstanceKey: pi as never } } as never, NOW)).items;

describe('account-demolition (拆迁)', () => {
  test('arrears: the final reading is billed by the tariff, the meter comes off, the account closes once paid', async () => {
    const accountNo = await h.openDemo();
    const account = await accountRow(h, accountNo);
    const [meter] = await h.t.db.knex('cis.meters').where({ account_id: account.id });
    const pi = await start(accountNo);
    expect((await h.task(pi, 'final-reading')).candidateGroups).toEqual(['reader']);
    await h.complete(pi, 'final-reading', { finalReading: 12.5, readingDate: '2026-12-05' });
    expect((await h.task(pi, 'meter-removal')).candidateGroups).toEqual(['crew']);

    // The final reading is an accepted reading of December (12.5 m³ from the meter's initial 0) …
    const [reading] = await h.t.db.knex('cis.readings').where({ account_id: account.id });
    expect(reading).toMatchObject({
      status: 'accepted',
      reading: '12.500',
      consumption: '12.500',
      external_ref: `demolition:${pi}`,
    });
    // … billed by billing's statement: 12.5 × 345 = 4312.5 → 4313, × 95 = 1187.5 → 1188, × 20 = 250; 5751 fen.
    expect(await billsOf(accountNo)).toEqual([
      {
        period: '2026-12',
        runId: null,
        status: 'posted',
        volume: '12.500',
        amountFen: 5751,
        lines: [
          ['water', '12.500', 4313],
          ['sewage', '12.500', 1188],
          ['resource', '12.500', 250],
        ],
      },
    ]);
    expect(await ledger(accountNo)).toEqual([['bill', -5751]]);
    expect(await h.variables(pi)).toMatchObject({ finalBillFen: 5751, finalPeriod: '2026-12', balanceFen: -5751 });

    await h.complete(pi, 'meter-removal', { meterRemoved: true });
    await waitingFor(pi, 'arrears-settled');
    expect((await accountRow(h, accountNo)).status).toBe('active');

    await pay(accountNo, '57.51');
    await h.t.client.publishMessage({ name: 'arrears-settled', correlationKey: accountNo, timeToLive: 0 });
    await h.finished(pi);
    expect(await endedAt(pi, 'closed')).toHaveLength(1);
    expect((await accountRow(h, accountNo)).status).toBe('closed');
    expect(await h.service.balance(accountNo)).toBe(0);
    expect(await h.t.db.knex('cis.meters').where({ id: meter.id }).first()).toMatchObject({
      status: 'removed',
      account_id: null,
    });
    const [replacement] = await h.t.db.knex('cis.meter_replacements').where({ old_meter_id: meter.id });
    expect(replacement.final_reading).toBe('12.500');
    const audit = await h.audit(pi);
    expect(audit.map((a) => `${a.action}:${a.entity}`)).toEqual([
      'recorded:reading',
      'final_billed:account',
      'removed:meter',
      'closed:account',
    ]);
    expect(audit[1].after).toMatchObject({ purpose: 'demolition', period: '2026-12', amountFen: 5751 });
    expect(await incidentsOf(pi)).toHaveLength(0);
  });

  test('credit: the final bill is paid from the prepaid credit, the rest refunded through the approval, then closed', async () => {
    const accountNo = await h.openDemo();
    await pay(accountNo, '100');
    const pi = await start(accountNo);
    await h.complete(pi, 'final-reading', { finalReading: 12.5, readingDate: '2026-12-05' });
    await h.complete(pi, 'meter-removal', { meterRemoved: true });
    // 10000 − 5751 = 4249 fen of credit, requested in full for the manager's approval (credit-refund).
    const refund = await eventually(() =>
      h.t.db.knex('cis.credit_refunds').where({ process_instance_key: pi }).first(),
    );
    expect(refund).toMatchObject({ status: 'requested' });
    expect(Number(refund.amount_fen)).toBe(4249);
    const approval = await eventually(async () => {
      const found = await h.t.client.searchUserTasks(
        { filter: { elementId: 'approve' as never, state: 'CREATED' } } as never,
        NOW,
      );
      return (found.items as Array<{ userTaskKey: string; processInstanceKey: string; candidateGroups: string[] }>)[0];
    });
    expect(approval.candidateGroups).toEqual(['manager']);
    expect(await h.variables(String(approval.processInstanceKey))).toMatchObject({
      accountNo,
      refundId: Number(refund.id),
      amountYuan: '42.49',
    });
    expect((await accountRow(h, accountNo)).status).toBe('active');
    await h.t.client.completeUserTask({
      userTaskKey: approval.userTaskKey as never,
      variables: { approved: true, note: '销户退费' },
    });
    await h.finished(pi);
    expect((await accountRow(h, accountNo)).status).toBe('closed');
    expect(await ledger(accountNo)).toEqual([
      ['payment', 10_000],
      ['bill', -5751],
      ['refund', -4249],
    ]);
    expect(await h.service.balance(accountNo)).toBe(0);
    expect(await h.t.db.knex('cis.credit_refunds').where({ id: refund.id }).first()).toMatchObject({ status: 'paid' });
    expect(await incidentsOf(pi)).toHaveLength(0);
  });

  test('a refund the manager rejects is asked again: the account never closes holding credit', async () => {
    const accountNo = await h.openDemo();
    await pay(accountNo, '10');
    const pi = await start(accountNo);
    await h.complete(pi, 'final-reading', { finalReading: 0, readingDate: '2026-12-05' });
    await h.complete(pi, 'meter-removal', { meterRemoved: true });
    const decide = async (approved: boolean) => {
      const approval = await eventually(async () => {
        const found = await h.t.client.searchUserTasks(
          { filter: { elementId: 'approve' as never, state: 'CREATED' } } as never,
          NOW,
        );
        return (found.items as Array<{ userTaskKey: string }>)[0];
      });
      await h.t.client.completeUserTask({ userTaskKey: approval.userTaskKey as never, variables: { approved } });
    };
    await decide(false);
    const asked = await eventually(async () => {
      const rows = await h.t.db
        .knex('cis.credit_refunds')
        .where('reason', 'like', `%account-demolition ${pi})`)
        .orderBy('id');
      return rows.length === 2 ? rows : undefined;
    });
    expect(asked.map((r) => [r.status, Number(r.amount_fen)])).toEqual([
      ['rejected', 1000],
      ['requested', 1000],
    ]);
    expect((await accountRow(h, accountNo)).status).toBe('active');
    // the request step delivered again, with its own key or a new one: the open request, not a second one
    const requested = await jobOf(pi, 'account-refund-request');
    for (const key of [String(requested.key), '9999999999998'])
      expect(await deliver(accountRefundRequest, pi, key)).toMatchObject({ refundId: Number(asked[1].id) });
    expect(await h.t.db.knex('cis.credit_refunds').where('reason', 'like', `%account-demolition ${pi})`)).toHaveLength(
      2,
    );
    await decide(true);
    await h.finished(pi);
    expect((await accountRow(h, accountNo)).status).toBe('closed');
    expect(await ledger(accountNo)).toEqual([
      ['payment', 1000],
      ['refund', -1000],
    ]);
  });

  test('a reading below the last one goes back to the reader; every unbilled period up to it is billed, oldest first', async () => {
    const accountNo = await h.openDemo();
    await new MeteringService(h.t.db.knex).record(
      { accountNo, reading: '50', readAt: '2026-11-20T10:00:00+08:00' },
      { actor: 'reader-test' },
    );
    const pi = await start(accountNo);
    await h.complete(pi, 'final-reading', { finalReading: 40, readingDate: '2026-12-05' });
    const back = await eventually(async () => {
      const v = await h.variables(pi);
      return v.problem ? v : undefined;
    });
    expect(back.problemField).toBe('reading');
    await h.task(pi, 'final-reading');
    expect(await billsOf(accountNo)).toEqual([]);

    await h.complete(pi, 'final-reading', { finalReading: 60, readingDate: '2026-12-05' });
    await h.task(pi, 'meter-removal');
    // November 50 m³: 50 × 460 = 23000; December 10 m³ (annual tier 1 still, after 50): 10 × 460 = 4600.
    const bills = await billsOf(accountNo);
    expect(bills.map((b) => [b.volume, b.amountFen, b.status])).toEqual([
      ['50.000', 23_000, 'posted'],
      ['10.000', 4600, 'posted'],
    ]);
    expect(await ledger(accountNo)).toEqual([
      ['bill', -23_000],
      ['bill', -4600],
    ]);
    expect((await h.variables(pi)).problem).toBeNull();
  });

  test('the final-bill job delivered twice, or the step run again with a new job, records one reading and posts one bill', async () => {
    const accountNo = await h.openDemo();
    const account = await accountRow(h, accountNo);
    const pi = await start(accountNo);
    await h.complete(pi, 'final-reading', { finalReading: 12.5, readingDate: '2026-12-05' });
    await h.task(pi, 'meter-removal');
    const done = await jobOf(pi, 'account-final-bill');
    expect(await deliver(accountFinalBill, pi, String(done.key))).toMatchObject({
      finalBillFen: 5751,
      balanceFen: -5751,
    });
    expect(await deliver(accountFinalBill, pi, '9999999999999')).toMatchObject({ finalReadingId: expect.any(Number) });
    expect(await h.t.db.knex('cis.readings').where({ account_id: account.id })).toHaveLength(1);
    expect(await billsOf(accountNo)).toHaveLength(1);
    expect(await ledger(accountNo)).toEqual([['bill', -5751]]);
  });

  test('an account already closed: the process ends at "already closed" with the reason, changing nothing', async () => {
    const accountNo = await h.openDemo();
    await h.service.closeAccount(accountNo, { reason: 'earlier closure' }, { actor: 'test' });
    const pi = await start(accountNo);
    await h.complete(pi, 'final-reading', { finalReading: 10 });
    await h.finished(pi);
    expect(await endedAt(pi, 'already-closed')).toHaveLength(1);
    expect((await h.variables(pi)).problem).toContain('is closed');
    expect(await h.audit(pi)).toHaveLength(0);
    const account = await accountRow(h, accountNo);
    expect(await h.t.db.knex('cis.ledger_entries').where({ account_id: account.id })).toHaveLength(0);
    expect(await h.t.db.knex('cis.readings').where({ account_id: account.id })).toHaveLength(0);
    expect(await incidentsOf(pi)).toHaveLength(0);
  });

  test('closed by someone else while the meter was being removed: the closing step ends at "already closed" too', async () => {
    const accountNo = await h.openDemo();
    const pi = await start(accountNo);
    await h.complete(pi, 'final-reading', { finalReading: 0 }); // nothing used: a bill of 0 fen, settled
    await h.task(pi, 'meter-removal');
    await h.service.closeAccount(accountNo, { reason: 'closed at the counter' }, { actor: 'test' });
    await h.complete(pi, 'meter-removal', { meterRemoved: true });
    await h.finished(pi);
    expect(await endedAt(pi, 'already-closed')).toHaveLength(1);
    expect((await h.variables(pi)).problem).toContain('already closed');
    expect((await h.audit(pi)).map((a) => a.action)).toEqual(['recorded', 'final_billed']);
  });

  test('an account with arrears does not close outside the process either: 409 unsettled, nothing changed', async () => {
    const accountNo = await h.openDemo();
    const account = await accountRow(h, accountNo);
    await h.t.db
      .knex('cis.ledger_entries')
      .insert({ account_id: account.id, kind: 'bill', amount_fen: -100, ref: 'x1' });
    await expect(h.service.closeAccount(accountNo, {}, { actor: 'test' })).rejects.toMatchObject({
      status: 409,
      code: 'unsettled',
    });
    expect((await accountRow(h, accountNo)).status).toBe('active');
  });
});
