import { MeteringService } from '../../domain/metering/service.js';
import { PaymentsService } from '../../domain/payments/service.js';
import { accountRow, residentId, startAccountsHarness, type AccountsHarness } from './accounts-harness.js';
import { eventually } from '../support/records.js';

let h: AccountsHarness;
beforeAll(async () => {
  h = await startAccountsHarness();
});
afterAll(async () => {
  await h?.stop();
});

let refs = 0;
/** A bill entry, or a payment at the counter (which settles the bill through the ledger's allocation). */
async function ledger(accountNo: string, kind: 'bill' | 'payment', amountFen: number) {
  if (kind === 'payment') {
    const amount = (amountFen / 100).toFixed(2);
    await new PaymentsService(h.t.db.knex).post(
      { serial: `transfer-${++refs}`, method: 'cash', items: [{ accountNo, amount }] },
      { actor: 'cashier-test' },
    );
    return;
  }
  const account = await accountRow(h, accountNo);
  await h.t.db
    .knex('cis.ledger_entries')
    .insert({ account_id: account.id, kind, amount_fen: amountFen, ref: `t${++refs}` });
}

async function startTransfer(
  accountNo: string,
  reading: { transferReading: number; readingDate?: string } = { transferReading: 0 },
) {
  const pi = (
    await h.t.client.createProcessInstance({
      processDefinitionId: 'account-transfer' as never,
      variables: { accountNo },
    })
  ).processInstanceKey;
  const application = await h.task(pi, 'application');
  expect(application.candidateGroups).toEqual(['clerk']);
  await h.complete(pi, 'application', {
    newOwnerName: '李四',
    newOwnerIdDocType: 'resident_id',
    newOwnerIdDocNumber: residentId(),
    newOwnerPhone: '13700001111',
    reason: '房屋买卖',
    ...reading,
  });
  await h.complete(pi, 'documents', { documentsComplete: true, documentsNote: '齐全' });
  return pi;
}

const waitingForSettlement = async (pi: string) =>
  eventually(async () => {
    const subs = await h.t.client.searchMessageSubscriptions(
      { filter: { processInstanceKey: pi as never, messageSubscriptionState: 'CREATED' } } as never,
      { consistency: { waitUpToMs: 0 } } as never,
    );
    return (subs.items ?? []).find((s) => s.messageName === 'arrears-settled');
  });

describe('account-transfer (过户)', () => {
  test('no arrears: documents checked, new owner recorded, new certificate; audit rows carry instance and job', async () => {
    const accountNo = await h.openDemo('赵六');
    const before = await accountRow(h, accountNo);
    const pi = await startTransfer(accountNo);
    await h.finished(pi);
    const after = await accountRow(h, accountNo);
    expect(after.customer_id).not.toBe(before.customer_id);
    const owner = await h.t.db.knex('cis.customers').where({ id: after.customer_id }).first();
    expect(owner.name).toBe('李四');
    const vars = await h.variables(pi);
    expect(vars).toMatchObject({ balanceFen: 0, certificateNo: expect.stringMatching(/^YS/) });
    const valid = await h.t.db.knex('cis.certificates').where({ account_id: after.id, status: 'valid' });
    expect(valid.map((c) => c.number)).toEqual([vars.certificateNo]);
    const audit = await h.audit(pi);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['transferred', 'certificate_reissued']));
    const transferred = audit.find((a) => a.action === 'transferred')!;
    const job = await h.t.db.knex('engine.job').where({ key: transferred.task_key }).first();
    expect(job).toMatchObject({ type: 'account-transfer', process_instance_key: pi });
    const billed = audit.find((a) => a.action === 'final_billed')!;
    expect(billed.after).toMatchObject({ purpose: 'transfer', amountFen: 0 }); // transfer reading 0: nothing used
    const billJob = await h.t.db.knex('engine.job').where({ key: billed.task_key }).first();
    expect(billJob).toMatchObject({ type: 'account-final-bill', process_instance_key: pi });
  });

  test('arrears: the process waits at settlement (never skips it) and continues once the arrears are paid', async () => {
    const accountNo = await h.openDemo('钱七');
    await ledger(accountNo, 'bill', -12_345);
    const before = await accountRow(h, accountNo);
    const pi = await startTransfer(accountNo);
    await waitingForSettlement(pi);
    expect(await h.state(pi)).toBe('ACTIVE');
    expect((await h.variables(pi)).balanceFen).toBe(-12_345);
    expect((await accountRow(h, accountNo)).customer_id).toBe(before.customer_id);
    // the old owner's final bill only (0 m³ used), nothing of the new owner yet
    expect((await h.audit(pi)).map((a) => a.action)).toEqual(['recorded', 'final_billed']);

    // A settlement message while still short: the re-check finds arrears and waits again.
    await ledger(accountNo, 'payment', 10_000);
    await h.t.client.publishMessage({ name: 'arrears-settled', correlationKey: accountNo, timeToLive: 0 });
    await eventually(async () => (await h.variables(pi)).balanceFen === -2_345);
    await waitingForSettlement(pi);
    expect((await accountRow(h, accountNo)).customer_id).toBe(before.customer_id);

    await ledger(accountNo, 'payment', 2_345);
    await h.t.client.publishMessage({ name: 'arrears-settled', correlationKey: accountNo, timeToLive: 0 });
    await h.finished(pi);
    expect((await h.variables(pi)).balanceFen).toBe(0);
    expect((await accountRow(h, accountNo)).customer_id).not.toBe(before.customer_id);
    const checks = await h.t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, element_id: 'arrears-check', intent: 'ELEMENT_COMPLETED' });
    expect(checks).toHaveLength(3);
  });

  test('incomplete documents end the application without touching the account', async () => {
    const accountNo = await h.openDemo('孙八');
    const before = await accountRow(h, accountNo);
    const pi = (
      await h.t.client.createProcessInstance({
        processDefinitionId: 'account-transfer' as never,
        variables: { accountNo },
      })
    ).processInstanceKey;
    await h.complete(pi, 'application', { newOwnerName: '周九', newOwnerIdDocNumber: residentId() });
    await h.complete(pi, 'documents', { documentsComplete: false });
    await h.finished(pi);
    const ended = await h.t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, element_id: 'documents-missing', intent: 'ELEMENT_COMPLETED' });
    expect(ended).toHaveLength(1);
    expect((await accountRow(h, accountNo)).customer_id).toBe(before.customer_id);
  });

  test('a malformed ID number of the new owner goes back to the application with the field named', async () => {
    const accountNo = await h.openDemo('吴十');
    const before = await accountRow(h, accountNo);
    const pi = (
      await h.t.client.createProcessInstance({
        processDefinitionId: 'account-transfer' as never,
        variables: { accountNo },
      })
    ).processInstanceKey;
    await h.complete(pi, 'application', {
      newOwnerName: '郑一',
      newOwnerIdDocNumber: '11010119900101123',
      transferReading: 0,
    });
    await h.complete(pi, 'documents', { documentsComplete: true });
    const back = await eventually(async () => {
      const v = await h.variables(pi);
      return v.problem ? v : undefined;
    });
    expect(back.problemField).toBe('customer.idDocNumber');
    expect((await accountRow(h, accountNo)).customer_id).toBe(before.customer_id);
    await h.complete(pi, 'application', {
      newOwnerName: '郑一',
      newOwnerIdDocNumber: residentId(),
      transferReading: 0,
    });
    await h.complete(pi, 'documents', { documentsComplete: true });
    await h.finished(pi);
    expect((await accountRow(h, accountNo)).customer_id).not.toBe(before.customer_id);
  });

  test('transfer reading: the old owner is billed up to it and settles; the new owner’s next reading counts from it', async () => {
    const accountNo = await h.openDemo('冯二');
    const account = await accountRow(h, accountNo);
    const metering = new MeteringService(h.t.db.knex);
    await metering.record({ accountNo, reading: '30', readAt: '2026-11-20T10:00:00+08:00' }, { actor: 'reader-test' });
    const pi = await startTransfer(accountNo, { transferReading: 42.5, readingDate: '2026-12-06' });
    await waitingForSettlement(pi);
    // November 30 m³: 30 × 460 = 13800. December 12.5 m³ (annual tier 1 after 30): 12.5 × 345 = 4312.5 → 4313,
    // × 95 = 1187.5 → 1188, × 20 = 250: 5751. The old owner owes 19551 before the account changes hands.
    const bills = await h.t.db
      .knex('cis.bills')
      .where({ account_id: account.id })
      .orderBy('period')
      .select(h.t.db.knex.raw(`to_char(period, 'YYYY-MM') AS period`), 'volume', 'amount_fen', 'status');
    expect(bills.map((b) => [b.period, b.volume, Number(b.amount_fen), b.status])).toEqual([
      ['2026-11', '30.000', 13_800, 'posted'],
      ['2026-12', '12.500', 5751, 'posted'],
    ]);
    expect(await h.variables(pi)).toMatchObject({ finalBillFen: 19_551, balanceFen: -19_551, finalPeriod: '2026-12' });
    expect((await accountRow(h, accountNo)).customer_id).toBe(account.customer_id);

    await ledger(accountNo, 'payment', 19_551);
    await h.t.client.publishMessage({ name: 'arrears-settled', correlationKey: accountNo, timeToLive: 0 });
    await h.finished(pi);
    expect((await accountRow(h, accountNo)).customer_id).not.toBe(account.customer_id);
    expect((await h.audit(pi)).map((a) => a.action)).toEqual([
      'recorded',
      'final_billed',
      'created',
      'transferred',
      'certificate_reissued',
    ]);

    // The new owner's first reading (January) counts from the transfer reading: 50 − 42.5 = 7.5 m³.
    const next = await metering.record(
      { accountNo, reading: '50', readAt: '2027-01-20T10:00:00+08:00' },
      { actor: 'reader-test' },
    );
    expect(next).toMatchObject({
      period: expect.stringMatching(/^2027-01/),
      previousReading: '42.500',
      consumption: '7.500',
    });
  });
});
