import caseRelocationCharge from '../../workers/case-relocation-charge.js';
import { eventually } from '../support/records.js';
import type { CasesHarness } from './cases-harness.js';
import {
  accountAt,
  accountRow,
  closedCase,
  completedElements,
  finished,
  modelProblems,
  startNetworkHarness,
} from './cases-network-fixtures.js';

// case-relocation-charge runs in this file's own worker, so a test can lose its first acknowledgement.
let h: CasesHarness;
let deliveries: string[] = [];
let loseFirstAck = false;
let worker: { stop(): void };

beforeAll(async () => {
  h = await startNetworkHarness({ except: ['case-relocation-charge'] });
  const config = caseRelocationCharge(h.workerCtx);
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

let n = 0;
/** An account on 城东区旧街 in book OLD; the new premises' street 城南区新街 lies in book NEW, which has one account. */
async function setting() {
  const k = ++n;
  const accountNo = await accountAt(h, { book: `OLD${k}`, district: '城东区', street: `旧街${k}` });
  const neighbour = await accountAt(h, { book: `NEW${k}`, district: '城南区', street: `新街${k}` });
  const newPremise = {
    district: '城南区',
    street: `新街${k}`,
    community: '新村',
    building: '2栋',
    unit: '1单元',
    room: '301',
  };
  return { k, accountNo, neighbour, newPremise };
}

const relocationFees = async (accountNo: string) =>
  h
    .knex('cis.ledger_entries as e')
    .join('cis.accounts as a', 'a.id', 'e.account_id')
    .where({ 'a.account_no': accountNo, 'e.kind': 'relocation_fee' })
    .select('e.amount_fen', 'e.ref');

describe('relocation (搬迁)', () => {
  test('survey → cost charged on the ledger → works → the account moves to its new premises and book → closed', async () => {
    const s = await setting();
    const before = await accountRow(h, s.accountNo);
    const { pi, caseNo, bookCode } = await h.openCase({
      caseType: 'relocation',
      accountNo: s.accountNo,
      applicantPhone: '13911112222',
      premise: s.newPremise,
    });
    expect(bookCode).toBe(`NEW${s.k}`);
    const survey = await h.task(pi, 'survey');
    expect(survey.candidateGroups).toEqual(['engineer']);
    expect(await h.variables(pi)).toMatchObject({ accountNo: s.accountNo, street: `新街${s.k}`, room: '301' });
    await h.complete(pi, 'survey', { feasible: true, surveyNote: '新址具备装表条件' });

    await h.complete(pi, 'cost', { costYuan: '1234.5', costNote: '管材及人工' });
    await h.task(pi, 'works');
    // 1234.5 yuan = 123450 fen, charged (stored negative) with the case as its reference
    expect(await relocationFees(s.accountNo)).toEqual([{ amount_fen: '-123450', ref: `relocation:${caseNo}` }]);
    expect(await h.variables(pi)).toMatchObject({ costFen: 123450 });
    expect((await accountRow(h, s.accountNo)).premise_id).toBe(before.premise_id); // not moved before the works

    await h.complete(pi, 'works', { meterMoved: true, worksNote: '表位已迁移' });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'completed', outcome: '已搬迁' });
    await finished(h, pi);

    const after = await accountRow(h, s.accountNo);
    const premise = await h.knex('cis.premises').where({ id: after.premise_id }).first();
    expect(premise).toMatchObject(s.newPremise);
    const newBook = await h
      .knex('cis.meter_books')
      .where({ code: `NEW${s.k}` })
      .first();
    const neighbour = await accountRow(h, s.neighbour);
    expect(after).toMatchObject({ book_id: newBook.id, book_seq: neighbour.book_seq + 10, status: 'active' });
    expect(await h.knex('cis.premises').where({ id: before.premise_id }).first()).toMatchObject({
      street: `旧街${s.k}`,
    }); // the old premises stay for the records that name them
    const [moved] = await h.knex('cis.audit_log').where({ action: 'account_relocated', entity_id: s.accountNo });
    expect(moved).toMatchObject({ process_instance_key: pi, actor: 'worker:case-relocation-move' });
    expect(moved.before).toMatchObject({
      premiseId: Number(before.premise_id),
      address: expect.stringContaining('旧街'),
    });
    expect(moved.after).toMatchObject({
      premiseId: Number(after.premise_id),
      caseNo,
      address: expect.stringContaining('新村'),
    });
    expect(await h.knex('cis.case_relocations').where({ account_id: after.id })).toHaveLength(1);
  });

  test('not feasible at the survey: rejected with the survey note, nothing charged, nothing moved', async () => {
    const s = await setting();
    const before = await accountRow(h, s.accountNo);
    const { pi, caseNo } = await h.openCase({ caseType: 'relocation', accountNo: s.accountNo, premise: s.newPremise });
    await h.complete(pi, 'survey', { feasible: false, surveyNote: '新址无供水管网' });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'rejected', outcome: '勘察结论：新址无供水管网' });
    expect(await relocationFees(s.accountNo)).toEqual([]);
    expect((await accountRow(h, s.accountNo)).premise_id).toBe(before.premise_id);
  });

  test('bad input: a malformed cost and a new address outside every book come back to the engineer; nothing half-written', async () => {
    const s = await setting();
    const before = await accountRow(h, s.accountNo);
    const { pi, caseNo } = await h.openCase({ caseType: 'relocation', accountNo: s.accountNo, premise: s.newPremise });
    // the engineer records a street no book serves
    await h.complete(pi, 'survey', { feasible: true, street: '不存在的路' });
    await h.complete(pi, 'cost', { costYuan: '12.345' });
    await eventually(async () => (await h.variables(pi)).problemField === 'costYuan');
    expect(await relocationFees(s.accountNo)).toEqual([]);
    await h.complete(pi, 'cost', { costYuan: '200' });
    await h.complete(pi, 'works', { meterMoved: true });
    const back = await h.task(pi, 'correct-address');
    expect(back.candidateGroups).toEqual(['engineer']);
    expect(await h.variables(pi)).toMatchObject({
      problem: "premise.street: 城南区不存在的路 lies in no meter book's area",
      problemField: 'premise.street',
    });
    const premises = await h.knex('cis.premises').count({ n: '*' }).first();
    expect((await accountRow(h, s.accountNo)).premise_id).toBe(before.premise_id);
    await h.complete(pi, 'correct-address', { street: `新街${s.k}` });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'completed' });
    expect(Number((await h.knex('cis.premises').count({ n: '*' }).first())!.n)).toBe(Number(premises!.n) + 1);
    expect(await relocationFees(s.accountNo)).toEqual([{ amount_fen: '-20000', ref: `relocation:${caseNo}` }]);
  });

  test('a missing account is refused at intake (422 naming accountNo), no case written', async () => {
    const cases = Number((await h.knex('cis.cases').count({ n: '*' }).first())!.n);
    await expect(
      h.openCase({ caseType: 'relocation', accountNo: 'NO-SUCH-1', premise: { district: '城南区', street: '新街1' } }),
    ).rejects.toMatchObject({ status: 422, field: 'accountNo' });
    await expect(
      h.openCase({ caseType: 'relocation', premise: { district: '城南区', street: '新街1' } }),
    ).rejects.toMatchObject({ status: 422, field: 'accountNo' });
    expect(Number((await h.knex('cis.cases').count({ n: '*' }).first())!.n)).toBe(cases);
  });

  test('a charge job delivered twice charges once', async () => {
    const s = await setting();
    const { pi } = await h.openCase({ caseType: 'relocation', accountNo: s.accountNo, premise: s.newPremise });
    await h.complete(pi, 'survey', { feasible: true });
    deliveries = [];
    loseFirstAck = true;
    await h.complete(pi, 'cost', { costYuan: '88.8' });
    await eventually(async () => deliveries.length === 1);
    // the first delivery has charged (its acknowledgement is lost) before the job's deadline passes
    await eventually(async () => (await relocationFees(s.accountNo)).length === 1);
    await h.advance(60_000);
    await h.task(pi, 'works');
    loseFirstAck = false;
    expect(deliveries).toHaveLength(2);
    expect(deliveries[0]).toBe(deliveries[1]);
    expect((await relocationFees(s.accountNo)).map((e) => e.amount_fen)).toEqual(['-8880']);
    expect(await h.knex('cis.audit_log').where({ action: 'charged', task_key: deliveries[0] })).toHaveLength(1);
  });

  test('the model: a stage on every step a customer recognises, overdue timers to case-escalate, every end through case-close', async () => {
    expect(await modelProblems('relocation.bpmn')).toEqual([]);
  });

  test('an overdue survey escalates (case-escalate, step survey) beside the task, which stays open', async () => {
    const s = await setting();
    const { pi } = await h.openCase({ caseType: 'relocation', accountNo: s.accountNo, premise: s.newPremise });
    await h.task(pi, 'survey');
    await h.advance(3 * 24 * 3600_000 + 60_000);
    await eventually(async () => (await completedElements(h, pi)).includes('escalated-survey'));
    expect(await h.openTasks(pi, 'survey')).toHaveLength(1);
    const job = await h.knex('engine.job').where({ process_instance_key: pi, type: 'case-escalate' }).first();
    expect(job.custom_headers).toMatchObject({ step: 'survey', group: 'engineer' });
  });
});
