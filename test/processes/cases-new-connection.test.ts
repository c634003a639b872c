import { AccountsService } from '../../domain/accounts/service.js';
import { ConnectionService } from '../../domain/cases/connection/service.js';
import { closeDay, dailySummary } from '../../domain/payments/close.js';
import { announceFeePaid } from '../../server/api/case-fees.js';
import caseConnectionDesign from '../../workers/case-connection-design.js';
import { eventually } from '../support/records.js';
import { residentId } from './accounts-harness.js';
import { startCasesHarness, type CasesHarness } from './cases-harness.js';

/**
 * 新装 (processes/cases/new-connection.bpmn) through the official client on the pinned clock: survey → design (in
 * parallel) → approval by budget level → fees paid at the counter → construction → contract → account opening
 * (account-opening called with the case's data) → first reading → closed. `case-prepare-contract` (the contract
 * PDF) is completed by the tests here, as its worker belongs to the documents change; case-connection-design runs
 * in this file's own worker, so a test can lose its first acknowledgement.
 */
const NOW = { consistency: { waitUpToMs: 0 } } as never;
const CLERK = 'clerk.li';
const SURVEYOR = 'eng.zhao';
const DESIGNER = 'eng.wang';
const MANAGER = 'mgr.chen';
const CASHIER = 'cashier.zhou';

let h: CasesHarness;
let connection: ConnectionService;
let designWorker: { stop(): void };
let loseFirstDesignAck = false;
const designDeliveries: string[] = [];

beforeAll(async () => {
  h = await startCasesHarness({
    // every case-connection worker but the design's, which runs in this file's own worker (below)
    workerPrefixes: [
      'case-close',
      'case-escalate',
      'case-connection-approver',
      'case-connection-assess',
      'case-connection-check',
      'case-connection-first',
      'case-connection-link',
      'case-connection-record',
      'account-',
    ],
  });
  connection = new ConnectionService(h.knex);
  const accounts = new AccountsService(h.knex);
  await accounts.createBook({ code: 'NC1', name: '新装测试抄表本' }, { actor: 'test' });
  const book = await h.knex('cis.meter_books').where({ code: 'NC1' }).first('id');
  await h.knex('cis.meter_book_areas').insert({ district: '开发区', street: '建设路', book_id: book.id });
  const config = caseConnectionDesign(h.workerCtx);
  designWorker = h.workerClient.createJobWorker({
    ...config,
    jobTimeoutMs: 1000,
    pollTimeoutMs: 500,
    jobHandler: async (job) => {
      designDeliveries.push(String(job.jobKey));
      // the work is done and committed, then the acknowledgement is lost: the engine hands the job out again
      if (loseFirstDesignAck && designDeliveries.length === 1)
        return config.jobHandler({ ...job, complete: () => job.ignore() });
      return config.jobHandler(job);
    },
  });
}, 120000);
afterAll(async () => {
  designWorker?.stop();
  await h?.stop();
});

let room = 100;
async function openConnection(details: Record<string, unknown> = {}, at = ++room) {
  return h.openCase(
    {
      caseType: 'new-connection',
      applicantName: '王五',
      applicantPhone: '13912345678',
      premise: { district: '开发区', street: '建设路', community: '新港小区', building: '8栋', room: `${at}室` },
      details: {
        useClass: 'residential',
        caliberMm: 20,
        householdSize: 3,
        idDocType: 'resident_id',
        idDocNumber: residentId(),
        ...details,
      },
    },
    CLERK,
  );
}

/** Claims the open task of `elementId` for `assignee` (as the inbox does before completing) and completes it. */
async function work(pi: string, elementId: string, assignee: string, variables: Record<string, unknown> = {}) {
  const { userTaskKey } = await h.task(pi, elementId);
  await h.t.client.assignUserTask({ userTaskKey: userTaskKey as never, assignee });
  await eventually(async () => (await h.openTasks(pi, elementId))[0]?.assignee === assignee);
  await h.t.client.completeUserTask({ userTaskKey: userTaskKey as never, variables });
}

async function design(pi: string, budgetYuan: number | string) {
  await work(pi, 'design-drawings', DESIGNER, { drawingsNote: '自市政 DN100 主管接 DN25 支管入户' });
  await work(pi, 'design-budget', DESIGNER, {
    budgetYuan,
    budgetLines: [{ item: '管材及安装', amountYuan: budgetYuan }],
  });
  await work(pi, 'material-requisition', DESIGNER, {
    materials: [{ name: 'PE 给水管', spec: 'DN25', unit: '米', quantity: 12 }],
  });
}

async function toApproval(pi: string, budgetYuan: number | string = 12345.67) {
  await work(pi, 'survey', SURVEYOR, { feasible: true, surveyFindings: '市政主管在路东侧，可接' });
  await design(pi, budgetYuan);
  return h.task(pi, 'approval');
}

async function activeAt(pi: string, elementId: string): Promise<boolean> {
  const found = await h.t.client.searchElementInstances(
    { filter: { processInstanceKey: pi as never, elementId: elementId as never, state: 'ACTIVE' } } as never,
    NOW,
  );
  return (found.items ?? []).length > 0;
}

async function pay(caseNo: string, serial: string, amountYuan: string, cashier = CASHIER) {
  const paid = await connection.payFees(caseNo, { serial, method: 'cash', amountYuan }, { actor: cashier });
  await announceFeePaid(h.t.client, paid);
  return paid;
}

/** The contract PDF's job (case-prepare-contract), done here as its worker would. */
async function prepareContract(pi: string) {
  const job = await eventually(async () => {
    const { jobs } = await h.t.client.activateJobs({
      type: 'case-prepare-contract',
      maxJobsToActivate: 10,
      timeout: 30000,
      worker: 'test',
      requestTimeout: -1,
    } as never);
    return jobs.find((j) => String(j.processInstanceKey) === pi);
  });
  await h.t.client.completeJob({ jobKey: job.jobKey, variables: { contractNo: `HT-${pi}` } });
}

async function childOf(pi: string): Promise<string> {
  const child = await eventually(async () => {
    const found = await h.t.client.searchProcessInstances(
      { filter: { parentProcessInstanceKey: pi as never } } as never,
      NOW,
    );
    return found.items?.[0];
  });
  return String(child.processInstanceKey);
}

/** From the approval to the case closed: fees paid, works accepted with the meter, contract, opening, first reading. */
async function approvedToConnected(pi: string, caseNo: string, dueYuan: string, meterSerial: string) {
  await work(pi, 'approval', MANAGER, { approvalDecision: 'approve' });
  await eventually(() => activeAt(pi, 'fee-paid'));
  await pay(caseNo, `CF-${caseNo}`, dueYuan);
  await work(pi, 'works-order', SURVEYOR, {
    worksTeam: '安装二队',
    plannedStart: '2026-12-10',
    plannedEnd: '2026-12-12',
  });
  await work(pi, 'works-progress', SURVEYOR, { progressNote: '完成', materialsUsed: [] });
  await work(pi, 'acceptance', SURVEYOR, { accepted: true, meterSerial, meterKind: 'ordinary', initialReading: '0' });
  await prepareContract(pi);
  await work(pi, 'sign-contract', CLERK, { contractSignedDate: '2026-12-13' });
  await work(await childOf(pi), 'application', CLERK);
  await work(pi, 'first-reading', 'reader.sun', { firstReading: '1' });
  await eventually(async () => (await h.state(pi)) === 'COMPLETED');
  return String((await h.variables(pi)).accountNo);
}

describe('new-connection (新装)', () => {
  test('the whole way: survey, design, approval, fee paid, works, contract, account opened from the case, meter and first reading, closed', async () => {
    loseFirstDesignAck = true;
    designDeliveries.length = 0;
    const { pi, caseNo } = await openConnection();
    const survey = await h.task(pi, 'survey');
    expect(survey.candidateGroups).toEqual(['engineer']);
    expect(survey.formKey).toBeTruthy();

    await work(pi, 'survey', SURVEYOR, { feasible: true, surveyFindings: '市政主管在路东侧，可接' });
    await design(pi, 12345.67);
    // the design job comes twice (its first acknowledgement lost): one design version, one audit row
    await eventually(async () => designDeliveries.length === 1);
    await h.advance(60_000); // the job's deadline passes on the engine's clock
    const approval = await h.task(pi, 'approval');
    loseFirstDesignAck = false;
    expect(designDeliveries).toHaveLength(2);
    expect(designDeliveries[0]).toBe(designDeliveries[1]);
    const c = await h.service.find(caseNo);
    const designs = await h.knex('cis.case_connection_designs').where({ case_id: c.id });
    expect(designs).toHaveLength(1);
    expect(designs[0]).toMatchObject({ version: 1, budget_fen: '1234567' });
    expect(await h.knex('cis.audit_log').where({ action: 'design_recorded', entity_id: caseNo })).toHaveLength(1);

    // budget 12,345.67 yuan ≤ 50,000: a manager approves
    expect(approval.candidateGroups).toEqual(['manager']);
    expect((await h.variables(pi)).budgetFen).toBe(1234567);
    await work(pi, 'approval', MANAGER, { approvalDecision: 'approve' });

    // 业务收费: DN20 connection fee 1,200.00 + works fee (the budget) 12,345.67 = 13,545.67 yuan; the case waits
    await eventually(() => activeAt(pi, 'fee-paid'));
    const fees = await connection.fees(caseNo);
    expect(fees.fees.map((f) => [f.item, f.amountFen, f.state])).toEqual([
      ['connection_fee', 120000, 'due'],
      ['works_fee', 1234567, 'due'],
    ]);
    expect(fees.outstandingFen).toBe(1354567);
    expect(await h.openTasks(pi)).toEqual([]);

    await pay(caseNo, 'CF-HAPPY-1', '13545.67');
    await work(pi, 'works-order', SURVEYOR, {
      worksTeam: '安装一队',
      plannedStart: '2026-12-10',
      plannedEnd: '2026-12-20',
    });
    await work(pi, 'works-progress', SURVEYOR, {
      progressNote: '管道敷设完成',
      materialsUsed: [{ name: 'PE 给水管', spec: 'DN25', unit: '米', quantity: 11.5 }],
    });
    await work(pi, 'acceptance', SURVEYOR, {
      accepted: true,
      acceptanceNote: '试压合格',
      meterSerial: 'NC-HAPPY-0001',
      meterKind: 'ordinary',
      initialReading: '0',
    });
    await prepareContract(pi);
    const sign = await h.task(pi, 'sign-contract');
    expect(sign.candidateGroups).toEqual(['clerk']);
    await work(pi, 'sign-contract', CLERK, { contractSignedDate: '2026-12-21' });

    // account-opening, called with the case's customer, premises, class, book and meter: nothing retyped
    const child = await childOf(pi);
    const application = await h.task(child, 'application');
    expect(application.candidateGroups).toEqual(['clerk']);
    expect(await h.variables(child)).toMatchObject({
      customerName: '王五',
      phone: '13912345678',
      district: '开发区',
      street: '建设路',
      community: '新港小区',
      building: '8栋',
      room: `${room}室`,
      customerClass: 'residential',
      householdSize: 3,
      bookCode: 'NC1',
      meterSerial: 'NC-HAPPY-0001',
      meterCaliberMm: 20,
      caseNo,
    });
    await work(child, 'application', CLERK);

    const reading = await h.task(pi, 'first-reading');
    const accountNo = String((await h.variables(pi)).accountNo);
    expect(accountNo).toMatch(/\w+/);
    await work(pi, 'first-reading', 'reader.sun', { firstReading: '2.5' });
    await eventually(async () => (await h.state(pi)) === 'COMPLETED');
    expect(reading.candidateGroups).toEqual(['reader', 'engineer']);

    const closed = await h.service.find(caseNo);
    expect(closed).toMatchObject({ status: 'completed', outcome: '已通水开户' });
    const account = await h
      .knex('cis.accounts as a')
      .join('cis.premises as p', 'p.id', 'a.premise_id')
      .join('cis.meter_books as b', 'b.id', 'a.book_id')
      .where('a.account_no', accountNo)
      .first('a.*', 'p.street', 'p.room', 'b.code as book_code');
    expect(account).toMatchObject({
      status: 'active',
      customer_class: 'residential',
      street: '建设路',
      room: `${room}室`,
    });
    expect(account.book_code).toBe('NC1');
    expect(String(closed.account_id)).toBe(String(account.id));
    expect(String(closed.premise_id)).toBe(String(account.premise_id));
    const meter = await h.knex('cis.meters').where({ serial: 'NC-HAPPY-0001' }).first();
    expect(meter).toMatchObject({ caliber_mm: 20 });
    expect(String(meter.account_id)).toBe(String(account.id));
    const readings = await h.knex('cis.readings').where({ account_id: account.id });
    expect(readings).toHaveLength(1);
    expect(readings[0]).toMatchObject({
      status: 'accepted',
      reading: '2.500',
      external_ref: `case:${caseNo}:first-reading`,
    });

    const steps = await h.knex('cis.case_connection_steps').where({ case_id: c.id }).orderBy('id').pluck('step');
    expect(steps).toEqual(['survey', 'works-order', 'works-progress', 'acceptance', 'contract']);
    const stepAudit = await h.knex('cis.audit_log').where({ entity_id: caseNo }).pluck('action');
    expect(stepAudit).toEqual(
      expect.arrayContaining([
        'case_opened',
        'case_fee_assessed',
        'case_fee_paid',
        'case_account_linked',
        'case_closed',
      ]),
    );
  });

  test('not feasible at the survey: the case ends rejected with the findings', async () => {
    const { pi, caseNo } = await openConnection();
    await work(pi, 'survey', SURVEYOR, { feasible: false, surveyFindings: '无市政管网' });
    await eventually(async () => (await h.state(pi)) === 'COMPLETED');
    expect(await h.service.find(caseNo)).toMatchObject({
      status: 'rejected',
      outcome: '勘察：不具备供水条件（无市政管网）',
    });
  });

  test('a budget over 50,000 yuan goes to an admin; rejected at approval, the case ends rejected with the reason', async () => {
    const { pi, caseNo } = await openConnection({ caliberMm: 50 });
    const approval = await toApproval(pi, '60000');
    expect(approval.candidateGroups).toEqual(['admin']);
    await work(pi, 'approval', 'admin.liu', { approvalDecision: 'reject', approvalNote: '管网容量不足' });
    await eventually(async () => (await h.state(pi)) === 'COMPLETED');
    expect(await h.service.find(caseNo)).toMatchObject({ status: 'rejected', outcome: '审批未通过：管网容量不足' });
    const c = await h.service.find(caseNo);
    expect(await h.knex('cis.case_fees').where({ case_id: c.id })).toHaveLength(0);
  });

  test('re-design: the approver sends it back, the design tasks come again, the second budget decides the fees', async () => {
    const { pi, caseNo } = await openConnection();
    await toApproval(pi, 8000);
    await work(pi, 'approval', MANAGER, { approvalDecision: 'redesign', approvalNote: '改为 DN32 支管' });
    const again = await eventually(async () => {
      const open = await h.openTasks(pi);
      return open.length === 3 ? open : undefined;
    });
    expect(again.map((t) => t.elementId).sort()).toEqual(['design-budget', 'design-drawings', 'material-requisition']);
    await design(pi, '9500.50');
    await work(pi, 'approval', MANAGER, { approvalDecision: 'approve' });
    await eventually(() => activeAt(pi, 'fee-paid'));
    const c = await h.service.find(caseNo);
    const versions = await h.knex('cis.case_connection_designs').where({ case_id: c.id }).orderBy('version');
    expect(versions.map((d) => [d.version, d.budget_fen])).toEqual([
      [1, '800000'],
      [2, '950050'],
    ]);
    // DN20 1,200.00 + 9,500.50 = 10,700.50 yuan
    expect((await connection.fees(caseNo)).outstandingFen).toBe(1070050);
    await h.t.client.cancelProcessInstance({ processInstanceKey: pi as never });
  });

  test('fees unpaid: the case waits; the same serial twice posts once; paid, it goes on; the payment counts in the cashier close', async () => {
    const cashier = 'cashier.qian';
    const { pi, caseNo } = await openConnection({ caliberMm: 25 });
    await toApproval(pi, '1000');
    await work(pi, 'approval', MANAGER, { approvalDecision: 'approve' });
    await eventually(() => activeAt(pi, 'fee-paid'));
    // DN25 2,000.00 + 1,000.00 = 3,000.00 yuan
    const wrong = connection.payFees(
      caseNo,
      { serial: 'CF-W-0', method: 'cash', amountYuan: '2999.99' },
      { actor: cashier },
    );
    await expect(wrong).rejects.toMatchObject({ status: 422, field: 'amountYuan' });
    await h.advance(24 * 3600_000);
    expect(await activeAt(pi, 'fee-paid')).toBe(true);
    expect(await h.openTasks(pi)).toEqual([]);

    const first = await pay(caseNo, 'CF-W-1', '3000', cashier);
    const second = await pay(caseNo, 'CF-W-1', '3000.00', cashier);
    expect(first).toMatchObject({ replayed: false, amountFen: 300000 });
    expect(second).toMatchObject({ replayed: true, paymentId: first.paymentId });
    await h.task(pi, 'works-order');
    const c = await h.service.find(caseNo);
    expect(await h.knex('cis.case_fee_payments').where({ case_id: c.id })).toHaveLength(1);
    expect(await h.knex('cis.audit_log').where({ action: 'case_fee_paid', entity_id: caseNo })).toHaveLength(1);
    const fees = await connection.fees(caseNo);
    expect(fees.outstandingFen).toBe(0);
    expect(fees.fees.every((f) => f.state === 'paid' && f.paymentId === first.paymentId)).toBe(true);
    await expect(
      connection.payFees(caseNo, { serial: 'CF-W-1', method: 'cash', amountYuan: '1' }, { actor: cashier }),
    ).rejects.toMatchObject({ status: 409, code: 'serial_reused', field: 'serial' });

    const day = await dailySummary(h.knex, cashier);
    expect(day.byMethod).toEqual([{ method: 'cash', count: 1, amountFen: 300000, reversedCount: 0, reversedFen: 0 }]);
    const close = await closeDay(h.knex, cashier, { actor: cashier });
    expect(close).toMatchObject({ totalFen: 300000, cashToHandOverFen: 300000 });

    // after the close nothing posts on that day
    const other = await openConnection({ caliberMm: 15 });
    await toApproval(other.pi, '100');
    await work(other.pi, 'approval', MANAGER, { approvalDecision: 'approve' });
    await eventually(() => activeAt(other.pi, 'fee-paid'));
    // DN15 800.00 + 100.00 = 900.00 yuan
    await expect(
      connection.payFees(other.caseNo, { serial: 'CF-W-2', method: 'cash', amountYuan: '900' }, { actor: cashier }),
    ).rejects.toMatchObject({ status: 409, code: 'session_closed' });
    expect((await connection.fees(other.caseNo)).outstandingFen).toBe(90000);
    for (const x of [pi, other.pi]) await h.t.client.cancelProcessInstance({ processInstanceKey: x as never });
  });

  test('nobody approves their own case: the clerk who opened it and its designer are refused, unclaimed completion too', async () => {
    const { pi } = await openConnection();
    const { userTaskKey } = await toApproval(pi, 500);
    const key = userTaskKey as never;
    const settled = async (assignee: string | undefined) =>
      eventually(async () => {
        const t = (await h.openTasks(pi, 'approval'))[0];
        return t && (t.assignee ?? undefined) === assignee ? t : undefined;
      });
    const denials = async () =>
      h
        .knex('engine.record')
        .where({ key: String(userTaskKey), value_type: 'USER_TASK' })
        .whereLike('intent', '%DENIED')
        .orderBy('position');

    await h.t.client.assignUserTask({ userTaskKey: key, assignee: CLERK });
    await eventually(async () => (await denials()).length === 1);
    await settled(undefined);
    await h.t.client.assignUserTask({ userTaskKey: key, assignee: DESIGNER });
    await eventually(async () => (await denials()).length === 2);
    await settled(undefined);
    await h.t.client.completeUserTask({ userTaskKey: key, variables: { approvalDecision: 'approve' } });
    await eventually(async () => (await denials()).length === 3);
    expect((await denials()).map((r) => r.intent)).toEqual([
      'ASSIGNMENT_DENIED',
      'ASSIGNMENT_DENIED',
      'COMPLETION_DENIED',
    ]);
    expect(await activeAt(pi, 'approval')).toBe(true);

    await work(pi, 'approval', MANAGER, { approvalDecision: 'approve' });
    await eventually(() => activeAt(pi, 'fee-paid'));
    await h.t.client.cancelProcessInstance({ processInstanceKey: pi as never });
  });

  test('an overdue survey escalates (case-escalate, step survey) and stays open with its surveyor', async () => {
    const { pi } = await openConnection();
    await h.task(pi, 'survey');
    await h.advance(3 * 24 * 3600_000 + 60_000); // P3D, the survey's target, has passed
    await eventually(async () => {
      const done = await h
        .knex('engine.record')
        .where({ process_instance_key: pi, element_id: 'survey-escalated', intent: 'ELEMENT_COMPLETED' });
      return done.length === 1;
    });
    expect(await activeAt(pi, 'survey')).toBe(true);
    await h.t.client.cancelProcessInstance({ processInstanceKey: pi as never });
  });

  test('a case for a customer the utility knows opens the account for that customer (no second customer)', async () => {
    const accounts = new AccountsService(h.knex);
    const known = await accounts.openAccount(
      {
        customer: { kind: 'person', idDocType: 'resident_id', idDocNumber: residentId(), name: '赵老户', phones: [] },
        premise: { district: '开发区', street: '建设路', building: '1栋', room: '1室' },
        customerClass: 'residential',
        paymentMethod: 'counter',
        book: { code: 'NC1' },
      },
      { actor: 'test' },
    );
    const opened = await h.service.openCase(
      {
        caseType: 'new-connection',
        customerId: known.customerId,
        applicantName: '赵老户',
        premise: { district: '开发区', street: '建设路', building: '1栋', room: '商铺' },
        details: { useClass: 'non_residential', caliberMm: 25 },
      },
      { actor: CLERK },
    );
    // the case's variables as the front desk starts it, naming the customer
    const variables = { ...(await h.service.processVariables(opened.caseNo)), customerId: known.customerId };
    const pi = String(
      (await h.t.client.createProcessInstance({ processDefinitionId: 'new-connection' as never, variables }))
        .processInstanceKey,
    );
    await h.service.attachProcess(opened.caseNo, pi, { actor: CLERK });
    await toApproval(pi, 100);
    // DN25 2,000.00 + 100.00 = 2,100.00 yuan
    const accountNo = await approvedToConnected(pi, opened.caseNo, '2100', 'NC-KNOWN-0001');
    const account = await h.knex('cis.accounts').where({ account_no: accountNo }).first();
    expect(String(account.customer_id)).toBe(String(known.customerId));
    expect(account.customer_class).toBe('non_residential');
    expect(await h.knex('cis.customers').where({ name: '赵老户' })).toHaveLength(1);
    expect(await h.service.find(opened.caseNo)).toMatchObject({ status: 'completed' });
  });

  test('a fee not paid in 30 days closes the case cancelled (逾期未缴费); the premises are free for a new application', async () => {
    const at = ++room;
    const { pi, caseNo } = await openConnection({ caliberMm: 15 }, at);
    await toApproval(pi, 100);
    await work(pi, 'approval', MANAGER, { approvalDecision: 'approve' });
    await eventually(() => activeAt(pi, 'fee-paid'));
    // one open new connection per premises: a second application waits for this one
    await expect(openConnection({ caliberMm: 15 }, at)).rejects.toMatchObject({ status: 409, code: 'case_open' });
    await h.advance(29 * 24 * 3600_000);
    expect(await activeAt(pi, 'fee-paid')).toBe(true);
    await h.advance(24 * 3600_000 + 60_000); // P30D has passed
    const closed = await eventually(async () => {
      const c = await h.service.find(caseNo);
      return c.status !== 'open' ? c : undefined;
    });
    expect(closed).toMatchObject({ status: 'cancelled', outcome: '逾期未缴费' });
    await eventually(async () => (await h.state(pi)) === 'COMPLETED');
    expect((await connection.fees(caseNo)).outstandingFen).toBe(90000); // nothing was charged

    const again = await openConnection({ caliberMm: 15 }, at);
    expect(again.caseNo).not.toBe(caseNo);
    await h.task(again.pi, 'survey');
    await h.t.client.cancelProcessInstance({ processInstanceKey: again.pi as never });
  });

  test('withdrawn while the fee is due (message case-withdrawn by case number): closed cancelled, the premises free', async () => {
    const at = ++room;
    const { pi, caseNo } = await openConnection({ caliberMm: 15 }, at);
    await toApproval(pi, 100);
    await work(pi, 'approval', MANAGER, { approvalDecision: 'approve' });
    await eventually(() => activeAt(pi, 'fee-paid'));
    await h.t.client.publishMessage({ name: 'case-withdrawn', correlationKey: caseNo, timeToLive: 0 } as never);
    const closed = await eventually(async () => {
      const c = await h.service.find(caseNo);
      return c.status !== 'open' ? c : undefined;
    });
    expect(closed).toMatchObject({ status: 'cancelled', outcome: '申请已撤回' });
    await eventually(async () => (await h.state(pi)) === 'COMPLETED');
    const again = await openConnection({ caliberMm: 15 }, at);
    await h.t.client.cancelProcessInstance({ processInstanceKey: again.pi as never });
  });

  test('accepted without a meter serial, or with a negative reading: refused (422), back to the acceptance naming the field', async () => {
    const { pi, caseNo } = await openConnection({ caliberMm: 15 });
    await toApproval(pi, 200);
    await work(pi, 'approval', MANAGER, { approvalDecision: 'approve' });
    await eventually(() => activeAt(pi, 'fee-paid'));
    await pay(caseNo, `CF-${caseNo}`, '1000'); // DN15 800.00 + 200.00
    await work(pi, 'works-order', SURVEYOR, { worksTeam: '安装三队', plannedStart: '2026-12-10' });
    await work(pi, 'works-progress', SURVEYOR, { progressNote: '完成', materialsUsed: [] });
    await work(pi, 'acceptance', SURVEYOR, { accepted: true, meterKind: 'ordinary', initialReading: 0 });
    await eventually(async () => (await h.variables(pi)).problemField === 'meterSerial');
    expect((await h.variables(pi)).problem).toBe('meterSerial: is required');
    await work(pi, 'acceptance', SURVEYOR, { accepted: true, meterSerial: 'NC-ACC-1', initialReading: -1 });
    await eventually(async () => (await h.variables(pi)).problemField === 'initialReading');
    const c = await h.service.find(caseNo);
    expect(await h.knex('cis.case_connection_steps').where({ case_id: c.id, step: 'acceptance' })).toEqual([]);
    await work(pi, 'acceptance', SURVEYOR, { accepted: true, meterSerial: 'NC-ACC-1', initialReading: 1.25 });
    await eventually(async () => (await h.variables(pi)).problem === null);
    const kept = await h.knex('cis.case_connection_steps').where({ case_id: c.id, step: 'acceptance' });
    expect(kept.map((r) => r.facts)).toEqual([
      { accepted: true, meterSerial: 'NC-ACC-1', meterKind: 'ordinary', initialReading: 1.25 },
    ]);
    await h.t.client.cancelProcessInstance({ processInstanceKey: pi as never });
  });

  test('acceptance failed: back to the works, the failed acceptance kept with the case', async () => {
    const { pi, caseNo } = await openConnection({ caliberMm: 15 });
    await toApproval(pi, 200);
    await work(pi, 'approval', MANAGER, { approvalDecision: 'approve' });
    await eventually(() => activeAt(pi, 'fee-paid'));
    await pay(caseNo, `CF-${caseNo}`, '1000'); // DN15 800.00 + 200.00
    await work(pi, 'works-order', SURVEYOR, {
      worksTeam: '安装三队',
      plannedStart: '2026-12-10',
      plannedEnd: '2026-12-11',
    });
    await work(pi, 'works-progress', SURVEYOR, { progressNote: '完成', materialsUsed: [] });
    await work(pi, 'acceptance', SURVEYOR, { accepted: false, acceptanceNote: '试压不合格' });
    await h.task(pi, 'works-progress');
    const c = await h.service.find(caseNo);
    const acceptance = await h.knex('cis.case_connection_steps').where({ case_id: c.id, step: 'acceptance' });
    expect(acceptance.map((r) => r.facts)).toEqual([{ accepted: false, acceptanceNote: '试压不合格' }]);
    await h.t.client.cancelProcessInstance({ processInstanceKey: pi as never });
  });
});
