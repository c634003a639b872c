import pino from 'pino';
import type { Knex } from 'knex';
import { postBills } from '../../domain/billing/posting.js';
import accountBalanceCheck from '../../workers/account-balance-check.js';
import accountFinalBill from '../../workers/account-final-bill.js';
import accountTransfer from '../../workers/account-transfer.js';
import creditRefundDecide from '../../workers/credit-refund-decide.js';
import paymentReverse from '../../workers/payment-reverse.js';
import receiptVoidDecide from '../../workers/receipt-void-decide.js';
import { ReceiptsService } from '../../domain/receipts/service.js';
import { billingAccount } from '../support/billing.js';
import { eventually } from '../support/records.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';
import { residentId } from './accounts-harness.js';

// The counter's approvals end to end, as the staff do them: a cashier or clerk asks through /api/payments, a
// manager decides the task through the official client, the job workers (in-process) act on the ledger. And
// the counter's side of 过户: a transfer held for arrears goes on by itself once a payment clears them.
let t: TestAquaflow;
const s: Record<string, ApiSession> = {};
let serialNo = 0;
const serial = () => `P${process.pid}-${++serialNo}`;
const NOW = { consistency: { waitUpToMs: 0 } } as never;

beforeAll(async () => {
  t = await startTestAquaflow({
    demoAccounts: 0,
    workers: [
      paymentReverse,
      creditRefundDecide,
      receiptVoidDecide,
      accountBalanceCheck,
      accountFinalBill,
      accountTransfer,
    ],
  });
  for (const u of ['cashier', 'clerk', 'manager']) s[u] = await t.signIn(u);
}, 120000);
afterAll(async () => {
  await t?.stop();
});

async function postedBill(knex: Knex, accountId: number, period: string, amountFen: number, asOf: string) {
  const tariff = await knex('cis.tariffs').where({ code: 'RES-2026' }).first('id');
  const [{ id }] = await knex('cis.bills')
    .insert({
      account_id: accountId,
      period: `${period}-01`,
      tariff_id: tariff.id,
      household_size: 3,
      volume: '10',
      amount_fen: amountFen,
      status: 'computed',
    })
    .returning('id');
  await knex.transaction((trx) => postBills(trx, { billId: Number(id) }, asOf));
}

const pay = async (accountNo: string, amount: string) => {
  const r = await s.cashier.call('POST', '/api/payments', {
    serial: serial(),
    method: 'cash',
    items: [{ accountNo, amount }],
  });
  expect(r.status).toBe(201);
  return (r.body.payments as Array<{ paymentId: number; arrearsCleared: boolean }>)[0];
};

const manager = () => t.client('manager');
const task = (pi: string, elementId: string) =>
  eventually(async () => {
    const found = await manager().searchUserTasks(
      { filter: { processInstanceKey: pi as never, elementId: elementId as never, state: 'CREATED' } } as never,
      NOW,
    );
    return found.items[0] as { userTaskKey: string; candidateGroups: string[]; formKey?: string } | undefined;
  });
const complete = async (pi: string, elementId: string, variables: Record<string, unknown>) => {
  const { userTaskKey } = await task(pi, elementId);
  await manager().completeUserTask({ userTaskKey: userTaskKey as never, variables });
};
const state = async (pi: string) =>
  (await manager().getProcessInstance({ processInstanceKey: pi as never }, NOW)).state as string;
const finished = (pi: string) => eventually(async () => (await state(pi)) === 'COMPLETED');
const variables = async (pi: string) => {
  const found = await manager().searchVariables(
    { filter: { processInstanceKey: pi as never, scopeKey: pi as never }, page: { limit: 100 } } as never,
    NOW,
  );
  return Object.fromEntries(found.items.map((v: { name: string; value: string }) => [v.name, JSON.parse(v.value)]));
};
const endedAt = async (pi: string) =>
  (
    await t.db
      .knex('engine.record')
      .where({ process_instance_key: pi, intent: 'ELEMENT_COMPLETED', element_type: 'END_EVENT' })
      .select('element_id')
  ).map((r) => r.element_id);
const entriesOf = async (accountId: number) =>
  (await t.db.knex('cis.ledger_entries').where({ account_id: accountId }).orderBy('id')).map((e) => [
    e.kind,
    Number(e.amount_fen),
  ]);

/** Runs a worker's handler on its job of `pi` once more, as the engine delivers at least once (same job key). */
async function deliverAgain(
  factory: typeof paymentReverse,
  pi: string,
  vars: Record<string, unknown>,
): Promise<{ completed?: Record<string, unknown>; error?: unknown }> {
  const config = factory({ knex: t.db.knex, logger: pino({ level: 'silent' }) });
  const done = await t.db.knex('engine.job').where({ process_instance_key: pi, type: config.jobType }).first('key');
  const outcome: { completed?: Record<string, unknown>; error?: unknown } = {};
  const job = {
    jobKey: String(done.key),
    processInstanceKey: pi,
    variables: vars,
    customHeaders: {},
    complete: async (v: Record<string, unknown>) => void (outcome.completed = v),
    error: async (e: unknown) => void (outcome.error = e),
  };
  await (config.jobHandler as (j: unknown) => Promise<unknown>)(job);
  return outcome;
}

describe('payment-reversal (冲正审批)', () => {
  test('requested at the counter, approved by a manager: the payment is reversed, the ledger keeps both entries', async () => {
    const a = await billingAccount(t.db.knex);
    await postedBill(t.db.knex, a.id, '2026-10', 8_000, '2026-11-01');
    // The customer takes an e-invoice: issued with the payment, red-lettered (红冲) once the reversal is approved.
    const { customer_id } = await t.db.knex('cis.accounts').where({ id: a.id }).first('customer_id');
    await t.db.knex('cis.customers').where({ id: customer_id }).update({ receipt_preference: 'einvoice' });
    const paid = await pay(a.accountNo, '80');
    const { batch } = await t.db.knex('cis.payments').where({ id: paid.paymentId }).first('batch');
    const issued = await s.cashier.call('POST', `/api/receipts/batches/${batch}`, {});
    expect(issued).toMatchObject({ status: 201, body: { einvoice: { status: 'issued', amountFen: 8_000 } } });
    const invoiceNo = (issued.body.einvoice as { invoiceNo: string }).invoiceNo;

    const requested = await s.cashier.call('POST', `/api/payments/${paid.paymentId}/reversal-requests`, {
      reason: '银行重复扣款',
    });
    expect(requested).toMatchObject({ status: 201, body: { paymentId: paid.paymentId, accountNo: a.accountNo } });
    const pi = String(requested.body.processInstanceKey);
    const approval = await task(pi, 'approve');
    expect(approval.candidateGroups).toEqual(['manager']);
    expect(await variables(pi)).toMatchObject({
      paymentId: paid.paymentId,
      accountNo: a.accountNo,
      reason: '银行重复扣款',
      requestedBy: 'cashier',
      cashier: 'cashier',
      amountFen: 8_000,
      amountYuan: '80.00',
    });
    expect(await t.db.knex('cis.payment_reversals').where({ payment_id: paid.paymentId })).toHaveLength(0);

    await complete(pi, 'approve', { approved: true, note: '同意' });
    await finished(pi);
    expect(await endedAt(pi)).toEqual(['reversed']);
    expect(await entriesOf(a.id)).toEqual([
      ['bill', -8_000],
      ['payment', 8_000],
      ['payment_reversal', -8_000],
    ]);
    const reversal = await t.db.knex('cis.payment_reversals').where({ payment_id: paid.paymentId }).first();
    expect(reversal).toMatchObject({
      reason: '银行重复扣款',
      reversed_by: 'worker:payment-reverse',
      approved_by: `payment-reversal:${pi}`,
      process_instance_key: pi,
    });
    const view = await s.cashier.call('GET', `/api/payments/accounts/${a.accountNo}`);
    expect(view.body).toMatchObject({ arrearsFen: 8_000, creditFen: 0 });
    expect((view.body.payments as Array<{ reversed: boolean }>)[0].reversed).toBe(true);
    const audit = await t.db.knex('cis.audit_log').where({ process_instance_key: pi });
    expect(audit.map((r) => r.action)).toEqual(['reversed']);
    expect(await variables(pi)).toMatchObject({ reversed: true, redLettered: [invoiceNo] });
    expect(await t.db.knex('cis.einvoices').where({ invoice_no: invoiceNo }).first('status')).toEqual({
      status: 'red-lettered',
    });

    // The job delivered again: already reversed is done, not a refusal; nothing more on the ledger.
    const again = await deliverAgain(paymentReverse, pi, await variables(pi));
    expect(again).toEqual({ completed: expect.objectContaining({ reversed: true }) });
    expect(await entriesOf(a.id)).toHaveLength(3);
  });

  test('rejected by the manager: nothing moves', async () => {
    const a = await billingAccount(t.db.knex);
    const paid = await pay(a.accountNo, '25.50');
    const requested = await s.manager.call('POST', `/api/payments/${paid.paymentId}/reversal-requests`, {
      reason: '客户投诉',
    });
    expect(requested.status).toBe(201);
    const pi = String(requested.body.processInstanceKey);
    await complete(pi, 'approve', { approved: false, note: '收费无误' });
    await finished(pi);
    expect(await endedAt(pi)).toEqual(['rejected']);
    expect(await entriesOf(a.id)).toEqual([['payment', 2_550]]);
    expect(await t.db.knex('cis.payment_reversals').where({ payment_id: paid.paymentId })).toHaveLength(0);
  });
});

describe('credit-refund (退费审批)', () => {
  test('approved: paid out of the credit once (also when the job is delivered twice); rejected: nothing moves', async () => {
    const a = await billingAccount(t.db.knex);
    await pay(a.accountNo, '100');

    const asked = await s.clerk.call('POST', '/api/payments/refunds', {
      accountNo: a.accountNo,
      amount: '30',
      reason: '多缴退费',
    });
    expect(asked).toMatchObject({ status: 201, body: { amountFen: 3_000, creditFen: 10_000 } });
    const pi = String(asked.body.processInstanceKey);
    expect((await task(pi, 'approve')).candidateGroups).toEqual(['manager']);
    expect(await variables(pi)).toMatchObject({
      refundId: asked.body.refundId,
      amountYuan: '30.00',
      creditYuan: '100.00',
      requestedBy: 'clerk',
    });
    await complete(pi, 'approve', { approved: true, note: '核实无误' });
    await finished(pi);
    expect(await endedAt(pi)).toEqual(['paid']);
    expect(await variables(pi)).toMatchObject({ refundStatus: 'paid', creditFen: 7_000 });
    expect(await t.db.knex('cis.credit_refunds').where({ id: asked.body.refundId }).first()).toMatchObject({
      status: 'paid',
      decided_by: 'worker:credit-refund-decide',
    });
    expect(await entriesOf(a.id)).toEqual([
      ['payment', 10_000],
      ['refund', -3_000],
    ]);
    const again = await deliverAgain(creditRefundDecide, pi, await variables(pi));
    expect(again.completed).toMatchObject({ refundStatus: 'paid', creditFen: 7_000 });
    expect(await entriesOf(a.id)).toHaveLength(2);

    const second = await s.cashier.call('POST', '/api/payments/refunds', {
      accountNo: a.accountNo,
      amount: '20',
      reason: '客户要求',
    });
    expect(second.status).toBe(201);
    const pi2 = String(second.body.processInstanceKey);
    await complete(pi2, 'approve', { approved: false, note: '预存留抵下期水费' });
    await finished(pi2);
    expect(await endedAt(pi2)).toEqual(['rejected']);
    expect(await t.db.knex('cis.credit_refunds').where({ id: second.body.refundId }).first()).toMatchObject({
      status: 'rejected',
    });
    expect(await entriesOf(a.id)).toHaveLength(2);
    expect((await s.cashier.call('GET', `/api/payments/accounts/${a.accountNo}`)).body).toMatchObject({
      creditFen: 7_000,
    });
  });

  test('credit spent on a bill meanwhile: the approval comes back with the problem, and the manager rejects', async () => {
    const a = await billingAccount(t.db.knex);
    await pay(a.accountNo, '10');
    const asked = await s.clerk.call('POST', '/api/payments/refunds', {
      accountNo: a.accountNo,
      amount: '10',
      reason: '销户退预存',
    });
    const pi = String(asked.body.processInstanceKey);
    await postedBill(t.db.knex, a.id, '2026-10', 500, '2026-11-01'); // settles 5.00 from the credit
    await complete(pi, 'approve', { approved: true });
    const back = await eventually(async () => {
      const v = await variables(pi);
      return v.problem ? v : undefined;
    });
    expect(String(back.problem)).toContain('5.00');
    expect(back.problemField).toBe('amount');
    await complete(pi, 'approve', { approved: false, note: '余额不足' });
    await finished(pi);
    expect(await endedAt(pi)).toEqual(['rejected']);
    expect((await variables(pi)).problem).toBeNull();
    expect(await t.db.knex('cis.ledger_entries').where({ account_id: a.id, kind: 'refund' })).toHaveLength(0);
  });
});

describe('approval level (approval-level.dmn, deployed with the payments diagrams)', () => {
  // The table by hand: a reversal up to 1,000.00 yuan (100000 fen) and a refund up to 500.00 yuan (50000 fen) go
  // to a manager, more to an admin; the bounds belong to the lower level.
  test.each([
    ['payment-reversal', 100_000, ['manager'], 'reversal-up-to-1000'],
    ['payment-reversal', 100_001, ['admin'], 'reversal-over-1000'],
    ['credit-refund', 50_000, ['manager'], 'refund-up-to-500'],
    ['credit-refund', 50_001, ['admin'], 'refund-over-500'],
  ])('%s of %i fen: approved by %j (rule %s)', async (request, amountFen, groups, ruleId) => {
    const r = await manager().evaluateDecision({
      decisionDefinitionId: 'approval-level' as never,
      variables: { request, amountFen },
    } as never);
    expect(JSON.parse(r.output)).toEqual(groups);
    expect(r.evaluatedDecisions[0].matchedRules!.map((m) => m.ruleId)).toEqual([ruleId]);
  });

  test('a request the table does not know has no approvers (null)', async () => {
    const r = await manager().evaluateDecision({
      decisionDefinitionId: 'approval-level' as never,
      variables: { request: 'receipt-void', amountFen: 100 },
    } as never);
    expect(r.output).toBe('null');
  });

  test('a reversal of 1,200.00 yuan goes to an admin, who approves it; the decision instance shows why', async () => {
    const a = await billingAccount(t.db.knex);
    const paid = await pay(a.accountNo, '1200');
    const requested = await s.cashier.call('POST', `/api/payments/${paid.paymentId}/reversal-requests`, {
      reason: '重复缴费',
    });
    const pi = String(requested.body.processInstanceKey);
    expect((await task(pi, 'approve')).candidateGroups).toEqual(['admin']);
    const { items } = await manager().searchDecisionInstances(
      { filter: { processInstanceKey: pi as never } } as never,
      NOW,
    );
    expect(items).toHaveLength(1);
    expect(items![0]).toMatchObject({
      decisionDefinitionId: 'approval-level',
      state: 'EVALUATED',
      result: '["admin"]',
    });
    const instance = await manager().getDecisionInstance(
      { decisionEvaluationInstanceKey: items![0].decisionEvaluationInstanceKey } as never,
      NOW,
    );
    expect(instance.evaluatedInputs!.map((i) => [i.inputName, i.inputValue])).toEqual([
      ['申请 Request', '"payment-reversal"'],
      ['金额（分） Amount (fen)', '120000'],
    ]);
    expect(instance.matchedRules!.map((r) => r.ruleId)).toEqual(['reversal-over-1000']);

    const { userTaskKey } = await task(pi, 'approve');
    await t.client('admin').completeUserTask({ userTaskKey: userTaskKey as never, variables: { approved: true } });
    await finished(pi);
    expect(await endedAt(pi)).toEqual(['reversed']);
    expect(await entriesOf(a.id)).toEqual([
      ['payment', 120_000],
      ['payment_reversal', -120_000],
    ]);
  });

  test('a refund of 600.00 yuan goes to an admin; 500.00 yuan to a manager', async () => {
    const a = await billingAccount(t.db.knex);
    await pay(a.accountNo, '1100');
    const ask = async (amount: string) => {
      const asked = await s.clerk.call('POST', '/api/payments/refunds', {
        accountNo: a.accountNo,
        amount,
        reason: '多缴退费',
      });
      expect(asked.status).toBe(201);
      return String(asked.body.processInstanceKey);
    };
    const big = await ask('600');
    expect((await task(big, 'approve')).candidateGroups).toEqual(['admin']);
    const small = await ask('500');
    expect((await task(small, 'approve')).candidateGroups).toEqual(['manager']);
  });
});

describe('receipt-void (票据作废审批)', () => {
  test('approved: the form is voided once; refused: it keeps its state', async () => {
    const receipts = new ReceiptsService(t.db.knex);
    const ctx = { actor: 'manager' };
    await receipts.receiveBlock({ formType: 'SF', series: 'PV', from: '0000001', to: '0000010' }, ctx);
    await receipts.issueRange(
      { formType: 'SF', series: 'PV', from: '0000001', to: '0000010', cashier: 'cashier' },
      ctx,
    );
    const startVoid = async (formNo: string, reason: string) => {
      const form = { formType: 'SF', series: 'PV', formNo };
      const requested = await receipts.requestVoid(form, reason, { actor: 'cashier' });
      const started = await manager().createProcessInstance({
        processDefinitionId: 'receipt-void' as never,
        variables: { ...form, form: requested.form, reason, requestedBy: 'cashier' },
      });
      return String(started.processInstanceKey);
    };
    const stateOf = async (formNo: number) =>
      (await t.db.knex('cis.receipt_forms').where({ form_type: 'SF', series: 'PV', form_no: formNo }).first('state'))
        .state;

    const pi = await startVoid('0000003', '填写错误');
    expect((await task(pi, 'approve')).candidateGroups).toEqual(['manager']);
    await complete(pi, 'approve', { approved: true, note: '同意作废' });
    await finished(pi);
    expect(await variables(pi)).toMatchObject({ formState: 'voided' });
    expect(await stateOf(3)).toBe('voided');
    const again = await deliverAgain(receiptVoidDecide, pi, await variables(pi));
    expect(again.completed).toMatchObject({ formState: 'voided' });
    expect(
      await t.db
        .knex('cis.receipt_form_events')
        .where({ form_type: 'SF', series: 'PV', form_no: 3, to_state: 'voided' }),
    ).toHaveLength(1);

    const pi2 = await startVoid('0000004', '客户要求');
    await complete(pi2, 'approve', { approved: false, note: '票据无误' });
    await finished(pi2);
    expect(await stateOf(4)).toBe('issued');
  });
});

describe('account-transfer held for arrears (过户欠费)', () => {
  test('goes on by itself once a counter payment clears the arrears; a partial payment leaves it waiting', async () => {
    const a = await billingAccount(t.db.knex);
    await postedBill(t.db.knex, a.id, '2026-10', 12_345, '2026-11-01');
    const before = await t.db.knex('cis.accounts').where({ id: a.id }).first('customer_id');
    const started = await s.clerk.call('POST', '/api/cases', { processId: 'account-transfer', accountNo: a.accountNo });
    expect(started.status).toBe(201);
    const pi = String(started.body.processInstanceKey);
    await complete(pi, 'application', {
      newOwnerName: '李四',
      newOwnerIdDocType: 'resident_id',
      newOwnerIdDocNumber: residentId(),
      newOwnerPhone: '13700001111',
      reason: '房屋买卖',
      transferReading: 0, // the meter as installed: nothing more to bill the old owner
    });
    await complete(pi, 'documents', { documentsComplete: true });
    const waiting = () =>
      eventually(async () => {
        const subs = await manager().searchMessageSubscriptions(
          { filter: { processInstanceKey: pi as never, messageSubscriptionState: 'CREATED' } } as never,
          NOW,
        );
        return (subs.items ?? []).find((x) => x.messageName === 'arrears-settled');
      });
    await waiting();
    expect((await variables(pi)).balanceFen).toBe(-12_345);

    const partial = await pay(a.accountNo, '100');
    expect(partial.arrearsCleared).toBe(false);
    await waiting();
    expect(await state(pi)).toBe('ACTIVE');

    const rest = await pay(a.accountNo, '23.45');
    expect(rest.arrearsCleared).toBe(true);
    await finished(pi);
    expect(await endedAt(pi)).toEqual(['transferred']);
    expect((await variables(pi)).balanceFen).toBe(0);
    const after = await t.db.knex('cis.accounts').where({ id: a.id }).first('customer_id');
    expect(after.customer_id).not.toBe(before.customer_id);
    // Published once, with the payment as its message id (a replayed submission publishes nothing twice).
    const published = await t.db.knex('engine.message').where({ message_id: `arrears-settled:${rest.paymentId}` });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ name: 'arrears-settled', correlation_key: a.accountNo });
  });
});
