import caseInspectionPenalty from '../../workers/case-inspection-penalty.js';
import { eventually } from '../support/records.js';
import type { CasesHarness } from './cases-harness.js';
import {
  accountAt,
  accountRow,
  activeAt,
  closedCase,
  completedElements,
  denials,
  finished,
  startNetworkHarness,
  modelProblems,
  work,
} from './cases-network-fixtures.js';

// case-inspection-penalty runs in this file's own worker, so a test can lose its first acknowledgement.
let h: CasesHarness;
let deliveries: string[] = [];
let loseFirstAck = false;
let worker: { stop(): void };

beforeAll(async () => {
  h = await startNetworkHarness({ except: ['case-inspection-penalty'] });
  const config = caseInspectionPenalty(h.workerCtx);
  worker = h.workerClient.createJobWorker({
    ...config,
    jobTimeoutMs: 1000,
    pollTimeoutMs: 500,
    jobHandler: async (job) => {
      deliveries.push(String(job.jobKey));
      if (loseFirstAck && deliveries.length === 1) return config.jobHandler({ ...job, complete: () => job.ignore() });
      return config.jobHandler(job);
    },
  });
}, 120000);
afterAll(async () => {
  worker?.stop();
  await h?.stop();
});

const HOUR = 3600_000;
const MANAGER = 'mgr.chen';
const NOW = { consistency: { waitUpToMs: 0 } } as never;
let n = 0;

async function inspect(findings: Record<string, unknown>, withAccount = true, openedBy = 'engineer.qian') {
  const accountNo = await accountAt(h, {
    book: `IN${++n}`,
    district: '城北区',
    street: `工业路${n}`,
    phone: '13800001111',
  });
  const { pi, caseNo } = await h.openCase(
    { caseType: 'water-use-inspection', applicantName: '监察科 钱工', ...(withAccount ? { accountNo } : {}) },
    openedBy,
  );
  const task = await h.task(pi, 'inspection');
  expect(task.candidateGroups).toEqual(['engineer']);
  await h.complete(pi, 'inspection', { findingNote: '现场检查', ...findings });
  return { accountNo, pi, caseNo };
}

const penalties = async (accountNo: string) =>
  h
    .knex('cis.ledger_entries as e')
    .join('cis.accounts as a', 'a.id', 'e.account_id')
    .where({ 'a.account_no': accountNo, 'e.kind': 'penalty' })
    .select('e.id', 'e.amount_fen', 'e.ref');

const finding = (caseNo: string) =>
  h
    .knex('cis.case_inspections as i')
    .join('cis.cases as c', 'c.id', 'i.case_id')
    .where('c.case_no', caseNo)
    .first('i.*');

describe('water-use-inspection (用水监察)', () => {
  test('illegal connection: the penalty (12.345 m³ × 10.35 元 = 127.77 元) is charged on the ledger at once', async () => {
    const { accountNo, pi, caseNo } = await inspect({ finding: 'illegal_connection', estimatedVolume: '12.345' });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'completed', outcome: '已处理' });
    // 12.345 m³ × 1035 fen = 12777.075 fen → 12777 fen (half-up); below 500 元, so no approval
    expect(await penalties(accountNo)).toEqual([
      expect.objectContaining({ amount_fen: '-12777', ref: `water-use-inspection:${caseNo}` }),
    ]);
    const f = await finding(caseNo);
    expect(f).toMatchObject({ finding: 'illegal_connection', estimated_volume: '12.345', penalty_fen: '12777' });
    expect(String(f.penalty_entry_id)).toBe(String((await penalties(accountNo))[0].id));
    expect(await completedElements(h, pi)).not.toContain('penalty-approval');
    expect(await completedElements(h, pi)).not.toContain('repair');
    const c = await h.knex('cis.cases').where({ case_no: caseNo }).first();
    expect(String(c.account_id)).toBe(String((await accountRow(h, accountNo)).id));
  });

  test('a penalty above 500 元 waits for a manager: approved it is charged, refused nothing is', async () => {
    const big = await inspect({ finding: 'illegal_connection', estimatedVolume: 100 });
    const approval = await h.task(big.pi, 'penalty-approval');
    expect(approval.candidateGroups).toEqual(['manager']);
    expect(await h.variables(big.pi)).toMatchObject({ penaltyFen: 103500, penaltyYuan: '1035.00' });
    expect(await penalties(big.accountNo)).toEqual([]);
    await work(h, big.pi, 'penalty-approval', MANAGER, { penaltyApproved: true });
    expect(await closedCase(h, big.caseNo)).toMatchObject({ status: 'completed' });
    expect((await penalties(big.accountNo)).map((e) => e.amount_fen)).toEqual(['-103500']);

    const refused = await inspect({ finding: 'illegal_connection', estimatedVolume: '60' });
    await work(h, refused.pi, 'penalty-approval', MANAGER, {
      penaltyApproved: false,
      approvalComment: '证据不足',
    });
    expect(await closedCase(h, refused.caseNo)).toMatchObject({ status: 'completed', outcome: '已处理；罚款未获批准' });
    expect(await penalties(refused.accountNo)).toEqual([]);
  });

  test('meter tampering: a penalty and a repair ticket linked to the case; the case closes when the repair has', async () => {
    const { accountNo, pi, caseNo } = await inspect({ finding: 'meter_tampering', estimatedVolume: '2.5' });
    // the penalty branch is done while the repair runs: 2.5 m³ × 1035 fen = 2587.5 → 2588 fen
    await eventually(async () => (await penalties(accountNo)).length === 1);
    expect((await penalties(accountNo))[0].amount_fen).toBe('-2588');
    const f = await eventually(async () => {
      const row = await finding(caseNo);
      return row?.repair_ticket_id ? row : undefined;
    });
    const ticket = await h.knex('cis.repair_tickets').where({ id: f.repair_ticket_id }).first();
    expect(ticket).toMatchObject({ category: 'meter_fault', contact_phone: '13800001111', status: 'open' });
    expect(ticket.description).toContain(caseNo);
    await eventually(async () => (await h.variables(pi)).repairTicketNo === ticket.ticket_no);

    // the ticket's own process runs as the case's call activity
    const children = await h.t.client.searchProcessInstances(
      { filter: { parentProcessInstanceKey: pi as never } } as never,
      NOW,
    );
    const child = String(children.items[0].processInstanceKey);
    expect(children.items[0].processDefinitionId).toBe('repair-ticket');
    // the ticket's process gets what it reads, nothing of the case (the applicant's phone, the case number)
    const childVars = await h.variables(child);
    expect(childVars).toMatchObject({ ticketNo: ticket.ticket_no, accountNo, category: 'meter_fault' });
    expect(Object.keys(childVars).sort()).toEqual(
      [
        'accountClosed',
        'accountNo',
        'callbackDelay',
        'callbackMaxAttempts',
        'callbackRetryDelay',
        'category',
        'crewOptions',
        'dispatchDue',
        'fieldDue',
        'supplyAddress',
        'ticketNo',
        'urgency',
      ].sort(),
    );
    // and the case keeps the ticket's number, not the ticket's start variables at its root
    const caseVars = await h.variables(pi);
    expect(caseVars.ticketNo).toBeUndefined();
    expect(caseVars.dispatchDue).toBeUndefined();
    await h.complete(child, 'dispatch', { crew: 'crew.wang' });
    await h.complete(child, 'field-work', { result: '更换防拆封水表', resolved: true });
    await h.complete(child, 'follow-up', {});
    expect((await h.knex('cis.cases').where({ case_no: caseNo }).first()).status).toBe('open');
    await h.advance(3 * 24 * HOUR + HOUR);
    await h.complete(child, 'callback', { reached: true, satisfaction: '5', callbackNotes: '满意' });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'completed', outcome: '已处理' });
    await finished(h, pi);
    expect((await h.knex('cis.repair_tickets').where({ id: f.repair_ticket_id }).first()).status).toBe('closed');
    const vars = await h.variables(pi);
    expect(vars.result).toBeUndefined(); // the repair's variables stay in its own instance
  });

  test('wrong class: the account becomes non-residential, audited before and after; no penalty, no ticket', async () => {
    const { accountNo, caseNo } = await inspect({ finding: 'wrong_class', newClass: 'non_residential' });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'completed' });
    expect((await accountRow(h, accountNo)).customer_class).toBe('non_residential');
    const [audit] = await h.knex('cis.audit_log').where({ action: 'customer_class_changed', entity_id: accountNo });
    expect(audit).toMatchObject({
      before: { customerClass: 'residential' },
      after: { customerClass: 'non_residential', caseNo },
      actor: 'worker:case-inspection-class',
    });
    expect(await penalties(accountNo)).toEqual([]);
    expect((await finding(caseNo)).repair_ticket_id).toBeNull();
  });

  test('nothing found: closed as such, the account untouched', async () => {
    const { accountNo, caseNo, pi } = await inspect({ finding: 'none' });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'completed', outcome: '未发现违章用水' });
    expect(await penalties(accountNo)).toEqual([]);
    expect((await accountRow(h, accountNo)).customer_class).toBe('residential');
    // the case row closes in the worker's transaction; the engine completes the step right after
    await finished(h, pi);
    expect(await completedElements(h, pi)).toContain('close-nothing');
  });

  test('bad input: a missing account and a penalty without a volume come back to the inspector; nothing written', async () => {
    const { accountNo, pi, caseNo } = await inspect(
      { finding: 'illegal_connection', accountNo: 'NO-SUCH-9', estimatedVolume: '3' },
      false,
    );
    await h.task(pi, 'inspection');
    await eventually(async () => (await h.variables(pi)).problemField === 'accountNo');
    expect((await h.variables(pi)).problem).toBe('accountNo: account NO-SUCH-9 does not exist');
    expect(await finding(caseNo)).toBeUndefined();

    await h.complete(pi, 'inspection', { finding: 'illegal_connection', accountNo, estimatedVolume: '' });
    await eventually(async () => (await h.variables(pi)).problemField === 'estimatedVolume');
    expect(await finding(caseNo)).toBeUndefined();
    expect(await penalties(accountNo)).toEqual([]);

    await h.complete(pi, 'inspection', { finding: 'illegal_connection', accountNo, estimatedVolume: '1' });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'completed' });
    expect((await penalties(accountNo)).map((e) => e.amount_fen)).toEqual(['-1035']);
  });

  test('a penalty job delivered twice charges once', async () => {
    deliveries = [];
    loseFirstAck = true;
    const { accountNo, pi } = await inspect({ finding: 'illegal_connection', estimatedVolume: '4' });
    await eventually(async () => deliveries.length === 1);
    // the first delivery has charged (its acknowledgement is lost) before the job's deadline passes
    await eventually(async () => (await penalties(accountNo)).length === 1);
    await h.advance(60_000);
    await finished(h, pi);
    loseFirstAck = false;
    expect(deliveries).toHaveLength(2);
    expect(deliveries[0]).toBe(deliveries[1]);
    expect((await penalties(accountNo)).map((e) => e.amount_fen)).toEqual(['-4140']);
    expect(await h.knex('cis.audit_log').where({ action: 'charged', task_key: deliveries[0] })).toHaveLength(1);
  });

  test('nobody approves a penalty on an inspection they opened: the opening manager is denied, another manager approves', async () => {
    const opener = 'mgr.wu';
    const { pi, accountNo } = await inspect({ finding: 'illegal_connection', estimatedVolume: 100 }, true, opener);
    const { userTaskKey } = await h.task(pi, 'penalty-approval');
    await h.t.client.assignUserTask({ userTaskKey: userTaskKey as never, assignee: opener });
    await eventually(async () => (await denials(h, userTaskKey)).length === 1);
    await h.t.client.completeUserTask({ userTaskKey: userTaskKey as never, variables: { penaltyApproved: true } });
    await eventually(async () => (await denials(h, userTaskKey)).length === 2);
    expect(await denials(h, userTaskKey)).toEqual(['ASSIGNMENT_DENIED', 'COMPLETION_DENIED']);
    expect(await activeAt(h, pi, 'penalty-approval')).toBe(true);
    expect(await penalties(accountNo)).toEqual([]);
    await work(h, pi, 'penalty-approval', MANAGER, { penaltyApproved: true });
    await finished(h, pi);
    expect((await penalties(accountNo)).map((e) => e.amount_fen)).toEqual(['-103500']);
  });

  test('the model: a stage on every step a customer recognises, overdue timers to case-escalate, every end through case-close', async () => {
    expect(await modelProblems('water-use-inspection.bpmn')).toEqual([]);
  });
});
