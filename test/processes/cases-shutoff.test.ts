import { NetworkCasesService } from '../../domain/cases/network/service.js';
import caseShutoffNotify from '../../workers/case-shutoff-notify.js';
import { eventually } from '../support/records.js';
import type { CasesHarness } from './cases-harness.js';
import {
  accountAt,
  activeAt,
  closedCase,
  completedElements,
  denials,
  finished,
  startNetworkHarness,
  modelProblems,
  work,
} from './cases-network-fixtures.js';

// case-shutoff-notify runs in this file's own worker, so a test can lose its first acknowledgement.
let h: CasesHarness;
let deliveries: string[] = [];
let loseFirstAck = false;
let worker: { stop(): void };

beforeAll(async () => {
  h = await startNetworkHarness({ except: ['case-shutoff-notify'] });
  const config = caseShutoffNotify(h.workerCtx);
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
let books = 0;

/**
 * The network of one test: three books (A, B, C) and six accounts. Selecting book A and the street 城东区建设路 must
 * reach exactly a1 (book A), a2 (book A and the street) and a3 (the street, book B); not a4 (建设路 of another
 * district), a5 (book B elsewhere) or a6 (book A, but closed).
 */
async function network() {
  const n = ++books;
  const [A, B, C] = [`SA${n}`, `SB${n}`, `SC${n}`];
  const a1 = await accountAt(h, { book: A, district: '城东区', street: `人民路${n}`, phone: '13900000001' });
  const a2 = await accountAt(h, { book: A, district: '城东区', street: `建设路${n}`, phone: null });
  const a3 = await accountAt(h, { book: B, district: '城东区', street: `建设路${n}`, phone: '13900000003' });
  const a4 = await accountAt(h, { book: C, district: '城西区', street: `建设路${n}` });
  const a5 = await accountAt(h, { book: B, district: '城东区', street: `和平路${n}` });
  const a6 = await accountAt(h, { book: A, district: '城东区', street: `人民路${n}` });
  await h.knex('cis.accounts').where({ account_no: a6 }).update({ status: 'closed' });
  return { A, B, C, street: { district: '城东区', street: `建设路${n}` }, a1, a2, a3, a4, a5, a6 };
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

async function openShutoff(
  details: Record<string, unknown>,
  changedSinceIntake: Record<string, unknown> = {},
  openedBy = 'engineer.zhao',
) {
  return h.openCase(
    {
      caseType: 'water-shutoff-approval',
      applicantName: '管网科 赵工',
      details: { reason: '更换 DN300 阀门', ...details },
    },
    openedBy,
    changedSinceIntake,
  );
}

/** A moment in China time as the forms show it (worker case-shutoff-area's `startAtText`). */
const chinaText = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

const affected = async (caseNo: string) =>
  (
    await h
      .knex('cis.shutoff_affected_accounts as x')
      .join('cis.cases as c', 'c.id', 'x.case_id')
      .join('cis.accounts as a', 'a.id', 'x.account_id')
      .where('c.case_no', caseNo)
      .orderBy('a.account_no')
      .select('a.account_no', 'x.selected_by')
  ).map((r) => [r.account_no, r.selected_by]);

const notices = async (caseNo: string, kind?: string) => {
  const q = h
    .knex('cis.notifications as n')
    .join('cis.cases as c', 'c.id', 'n.case_id')
    .join('cis.accounts as a', 'a.id', 'n.account_id')
    .where('c.case_no', caseNo)
    .orderBy(['n.kind', 'a.account_no'])
    .select('a.account_no', 'n.kind', 'n.channel', 'n.recipient', 'n.window_start', 'n.window_end', 'n.payload');
  return kind ? q.where('n.kind', kind) : q;
};

describe('water-shutoff-approval (停水处理审批)', () => {
  test('planned: area by book and street, manager approves, notices to exactly the affected accounts, restoration confirmed, restored notices', async () => {
    const net = await network();
    const start = h.now() + 48 * HOUR;
    const end = start + 6 * HOUR;
    const { pi, caseNo } = await openShutoff({
      kind: 'planned',
      startAt: iso(start),
      endAt: iso(end),
      bookCodes: [net.A.toLowerCase()],
      streets: [net.street],
    });
    const approval = await h.task(pi, 'approval');
    expect(approval.candidateGroups).toEqual(['manager']);
    // the approval form shows the window in China time (read-only text), the timer reads UTC ISO
    expect(await h.variables(pi)).toMatchObject({
      affectedCount: 3,
      startAt: iso(start),
      startAtText: chinaText(start),
      endAtText: chinaText(end),
      noticeBy: iso(start - 24 * HOUR),
    });
    expect(await affected(caseNo)).toEqual(
      [
        [net.a1, 'book'],
        [net.a2, 'both'],
        [net.a3, 'street'],
      ].sort(),
    );
    expect(await notices(caseNo)).toEqual([]); // nothing told before the approval

    await work(h, pi, 'approval', MANAGER, { approved: true, approvalComment: '同意，注意提前告知' });
    await eventually(async () => (await notices(caseNo, 'water_shutoff')).length === 3);
    const sent = await notices(caseNo, 'water_shutoff');
    expect(sent.map((n) => [n.account_no, n.channel, n.recipient])).toEqual(
      [
        [net.a1, 'sms', '13900000001'],
        [net.a2, 'letter', null],
        [net.a3, 'sms', '13900000003'],
      ].sort(),
    );
    for (const n of sent) {
      expect([new Date(n.window_start).getTime(), new Date(n.window_end).getTime()]).toEqual([start, end]);
      expect(n.payload).toMatchObject({ caseNo, shutoffKind: 'planned', reason: '更换 DN300 阀门' });
    }

    // The engineer's restoration task opens when the window starts: till then the timer waits.
    await eventually(() => activeAt(h, pi, 'shutoff-start'));
    expect(await h.openTasks(pi, 'restoration')).toHaveLength(0);
    await h.advance(48 * HOUR + 60_000);
    const restoration = await h.task(pi, 'restoration');
    expect(restoration.candidateGroups).toEqual(['engineer']);
    const restoredAt = iso(start + 5 * HOUR);
    await h.complete(pi, 'restoration', { restoredAt, restorationNote: '阀门更换完毕' });
    const closed = await closedCase(h, caseNo);
    expect(closed).toMatchObject({ status: 'completed', outcome: '已恢复供水' });
    const restored = await notices(caseNo, 'water_restored');
    expect(restored.map((n) => n.account_no)).toEqual([net.a1, net.a2, net.a3].sort());
    expect(restored.every((n) => new Date(n.window_end).getTime() === start + 5 * HOUR)).toBe(true);
    await finished(h, pi);
    expect(await completedElements(h, pi)).toEqual(
      expect.arrayContaining(['area', 'approval', 'notify-shutoff', 'shutoff-start', 'restoration', 'notify-restored']),
    );
    const audit = await h.knex('cis.audit_log').where({ entity: 'case', entity_id: caseNo }).orderBy('id');
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['shutoff_area_selected', 'shutoff_noticed', 'restoration_noticed', 'case_closed']),
    );
  });

  test('rejected at approval: the case closes rejected with the reason, nobody is told', async () => {
    const net = await network();
    const { pi, caseNo } = await openShutoff({
      kind: 'planned',
      startAt: iso(h.now() + 30 * HOUR),
      endAt: iso(h.now() + 36 * HOUR),
      bookCodes: [net.B],
    });
    await work(h, pi, 'approval', MANAGER, { approved: false, approvalComment: '与道路施工冲突，改期' });
    expect(await closedCase(h, caseNo)).toMatchObject({
      status: 'rejected',
      outcome: '未获批准：与道路施工冲突，改期',
    });
    expect(await affected(caseNo)).toEqual(
      [
        [net.a3, 'book'],
        [net.a5, 'book'],
      ].sort(),
    );
    expect(await notices(caseNo)).toEqual([]);
    await finished(h, pi);
  });

  test('emergency: notices go out at once, the manager approves afterwards beside the restoration', async () => {
    const net = await network();
    const { pi, caseNo } = await openShutoff({
      kind: 'emergency',
      startAt: iso(h.now() - HOUR),
      endAt: iso(h.now() + 3 * HOUR),
      reason: '主管爆裂抢修',
      streets: [{ district: '城西区', street: net.street.street }],
    });
    await eventually(async () => (await notices(caseNo, 'water_shutoff')).length === 1);
    expect((await notices(caseNo)).map((n) => n.account_no)).toEqual([net.a4]);
    // both wait at once: the manager's approval afterwards and the engineer's restoration
    const ratify = await h.task(pi, 'ratify');
    expect(ratify.candidateGroups).toEqual(['manager']);
    await h.task(pi, 'restoration');
    expect(await h.openTasks(pi, 'approval')).toHaveLength(0);
    await h.complete(pi, 'restoration', { restoredAt: iso(h.now()) });
    await eventually(async () => (await notices(caseNo, 'water_restored')).length === 1);
    expect((await h.knex('cis.cases').where({ case_no: caseNo }).first()).status).toBe('open');
    await work(h, pi, 'ratify', MANAGER, { ratified: true, ratificationComment: '同意' });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'completed', outcome: '已恢复供水' });
  });

  test('emergency not ratified afterwards: the case still completes (water is back), its outcome says so', async () => {
    const net = await network();
    const { pi, caseNo } = await openShutoff({
      kind: 'emergency',
      startAt: iso(h.now() - HOUR),
      endAt: iso(h.now() + HOUR),
      bookCodes: [net.C],
    });
    await work(h, pi, 'ratify', MANAGER, { ratified: false, ratificationComment: '未按规定上报' });
    await h.complete(pi, 'restoration', { restoredAt: iso(h.now()) });
    expect(await closedCase(h, caseNo)).toMatchObject({
      status: 'completed',
      outcome: '已恢复供水；紧急停水事后审批未通过',
    });
    expect((await notices(caseNo)).map((n) => [n.account_no, n.kind])).toEqual([
      [net.a4, 'water_restored'],
      [net.a4, 'water_shutoff'],
    ]);
  });

  // The intake refuses a bad area (cases-api); these reach the step with one, as when the network changed after
  // the intake (a book retired): the step refuses it the same way and hands it back to the clerk.
  test('bad input: an unknown book code, then an end before the start, come back to the clerk naming the field; nothing is written until corrected', async () => {
    const net = await network();
    const window = { kind: 'planned', startAt: iso(h.now() + 30 * HOUR), endAt: iso(h.now() + 36 * HOUR) };
    const { pi, caseNo } = await openShutoff({ ...window, bookCodes: [net.A] }, { bookCodes: [net.A, 'NO-SUCH-BOOK'] });
    const back = await h.task(pi, 'area-correct');
    expect(back.candidateGroups).toEqual(['clerk']);
    expect(await h.variables(pi)).toMatchObject({
      problem: 'bookCodes: meter book NO-SUCH-BOOK does not exist',
      problemField: 'bookCodes',
    });
    expect(await affected(caseNo)).toEqual([]);
    const details = (await h.knex('cis.cases').where({ case_no: caseNo }).first()).details;
    expect(details.affectedCount).toBeUndefined();

    // corrected book, but the end is now before the start
    await h.complete(pi, 'area-correct', {
      bookCodesText: `${net.C}`,
      startAt: '2030-01-02T08:00',
      endAt: '2030-01-02T06:00',
    });
    await eventually(async () => (await h.variables(pi)).problemField === 'endAt');
    expect((await h.variables(pi)).problem).toBe('endAt: must be after startAt');
    expect(await affected(caseNo)).toEqual([]);
    expect(await h.knex('cis.audit_log').where({ entity_id: caseNo, action: 'shutoff_area_selected' })).toEqual([]);

    await h.complete(pi, 'area-correct', { endAt: '2030-01-02T12:00' });
    await h.task(pi, 'approval');
    expect(await affected(caseNo)).toEqual([[net.a4, 'book']]);
    expect(await h.variables(pi)).toMatchObject({
      startAt: '2030-01-02T00:00:00Z',
      endAt: '2030-01-02T04:00:00Z',
      startAtText: '2030-01-02 08:00',
      endAtText: '2030-01-02 12:00',
      bookCodes: [net.C],
      problem: null,
    });
  });

  test('the intake check refuses the same bad areas read-only (for the front desk, before a case exists)', async () => {
    const net = await network();
    const check = (details: Record<string, unknown>) =>
      new NetworkCasesService(h.knex).checkShutoffArea({
        kind: 'planned',
        startAt: '2030-03-01T08:00',
        endAt: '2030-03-01T18:00',
        reason: '管网改造',
        ...details,
      });
    await expect(check({ bookCodes: ['NOPE'] })).rejects.toMatchObject({ status: 422, field: 'bookCodes' });
    await expect(check({ bookCodes: [net.A], endAt: '2030-03-01T07:59' })).rejects.toMatchObject({
      status: 422,
      field: 'endAt',
    });
    await expect(check({})).rejects.toMatchObject({ status: 422, field: 'bookCodes' });
    await expect(check({ kind: 'sometime', bookCodes: [net.A] })).rejects.toMatchObject({ status: 422, field: 'kind' });
    expect((await check({ bookCodes: `${net.A.toLowerCase()}，${net.B}` })).area).toMatchObject({
      startAt: '2030-03-01T00:00:00Z',
      endAt: '2030-03-01T10:00:00Z',
      bookCodes: [net.A, net.B],
    });
  });

  test('withdrawn at the correction: the case is cancelled, nothing written', async () => {
    const net = await network();
    const window = { kind: 'planned', startAt: iso(h.now() + 30 * HOUR), endAt: iso(h.now() + 36 * HOUR) };
    const { pi, caseNo } = await openShutoff(
      { ...window, bookCodes: [net.A] },
      { bookCodes: [], streets: [{ district: '无此区', street: '无此路' }] },
    );
    await h.task(pi, 'area-correct');
    expect((await h.variables(pi)).problemField).toBe('streets');
    await h.complete(pi, 'area-correct', { withdrawn: true });
    expect(await closedCase(h, caseNo)).toMatchObject({ status: 'cancelled', outcome: '申请已撤回' });
    expect(await affected(caseNo)).toEqual([]);
  });

  test('a notice job delivered twice notices each account once', async () => {
    const net = await network();
    const { pi, caseNo } = await openShutoff({
      kind: 'planned',
      startAt: iso(h.now() + 30 * HOUR),
      endAt: iso(h.now() + 36 * HOUR),
      bookCodes: [net.A],
    });
    deliveries = [];
    loseFirstAck = true;
    await work(h, pi, 'approval', MANAGER, { approved: true });
    await eventually(async () => deliveries.length === 1);
    // the first delivery has done its work (its acknowledgement is lost) before the job's deadline passes
    await eventually(async () => (await notices(caseNo)).length === 2);
    await h.advance(60_000); // the job's deadline passes on the engine's clock
    await eventually(async () => (await h.variables(pi)).shutoffNoticed !== undefined);
    loseFirstAck = false;
    expect(deliveries).toHaveLength(2);
    expect(deliveries[0]).toBe(deliveries[1]);
    expect((await notices(caseNo)).map((n) => n.account_no)).toEqual([net.a1, net.a2].sort());
    expect(await h.knex('cis.audit_log').where({ entity_id: caseNo, action: 'shutoff_noticed' })).toHaveLength(1);
    expect((await h.variables(pi)).shutoffNoticed).toBe(2);
  });

  test('nobody approves a shut-off they opened: the opening manager is denied the approval (claim and completion), another manager approves', async () => {
    const net = await network();
    const opener = 'mgr.wu';
    const { pi, caseNo } = await openShutoff(
      { kind: 'planned', startAt: iso(h.now() + 30 * HOUR), endAt: iso(h.now() + 36 * HOUR), bookCodes: [net.B] },
      {},
      opener,
    );
    const { userTaskKey } = await h.task(pi, 'approval');
    const key = userTaskKey as never;
    await h.t.client.assignUserTask({ userTaskKey: key, assignee: opener });
    await eventually(async () => (await denials(h, userTaskKey)).length === 1);
    expect((await h.openTasks(pi, 'approval'))[0].assignee ?? undefined).toBeUndefined();
    await h.t.client.completeUserTask({ userTaskKey: key, variables: { approved: true } });
    await eventually(async () => (await denials(h, userTaskKey)).length === 2);
    expect(await denials(h, userTaskKey)).toEqual(['ASSIGNMENT_DENIED', 'COMPLETION_DENIED']);
    expect(await activeAt(h, pi, 'approval')).toBe(true);
    expect(await notices(caseNo)).toEqual([]);

    await work(h, pi, 'approval', MANAGER, { approved: true });
    await eventually(async () => (await notices(caseNo, 'water_shutoff')).length === 2);
    await h.t.client.cancelProcessInstance({ processInstanceKey: pi as never });
  });

  test('nobody ratifies an emergency shut-off they opened: the opener is denied, another manager ratifies', async () => {
    const net = await network();
    const opener = 'mgr.wu';
    const { pi } = await openShutoff(
      { kind: 'emergency', startAt: iso(h.now() - HOUR), endAt: iso(h.now() + HOUR), bookCodes: [net.C] },
      {},
      opener,
    );
    const { userTaskKey } = await h.task(pi, 'ratify');
    await h.t.client.assignUserTask({ userTaskKey: userTaskKey as never, assignee: opener });
    await eventually(async () => (await denials(h, userTaskKey)).length === 1);
    expect(await activeAt(h, pi, 'ratify')).toBe(true);
    await work(h, pi, 'ratify', MANAGER, { ratified: true });
    await eventually(async () => !(await activeAt(h, pi, 'ratify')));
    await h.t.client.cancelProcessInstance({ processInstanceKey: pi as never });
  });

  test('a planned start less than 24 hours ahead is refused (422 startAt); an emergency has no minimum', async () => {
    const net = await network();
    const check = (details: Record<string, unknown>) =>
      new NetworkCasesService(h.knex).checkShutoffArea(
        { reason: '换阀', bookCodes: [net.A], ...details },
        new Date(h.now()),
      );
    const refusal = {
      status: 422,
      field: 'startAt',
      message: 'startAt: a planned shut-off is announced at least 24 hours ahead',
    };
    await expect(
      check({ kind: 'planned', startAt: iso(h.now() + 2 * HOUR), endAt: iso(h.now() + 5 * HOUR) }),
    ).rejects.toMatchObject(refusal);
    await expect(
      check({ kind: 'planned', startAt: iso(h.now() - HOUR), endAt: iso(h.now() + 5 * HOUR) }),
    ).rejects.toMatchObject(refusal);
    await expect(
      check({ kind: 'planned', startAt: iso(h.now() + 24 * HOUR + 60_000), endAt: iso(h.now() + 30 * HOUR) }),
    ).resolves.toMatchObject({ area: { kind: 'planned' } });
    await expect(
      check({ kind: 'emergency', startAt: iso(h.now() - HOUR), endAt: iso(h.now() + HOUR) }),
    ).resolves.toMatchObject({ area: { kind: 'emergency' } });
  });

  test('approved too late to give 24 hours notice: nobody is told, the clerk sets a new window, then it goes ahead', async () => {
    const net = await network();
    const start = h.now() + 30 * HOUR;
    const { pi, caseNo } = await openShutoff({
      kind: 'planned',
      startAt: iso(start),
      endAt: iso(start + 6 * HOUR),
      bookCodes: [net.B],
    });
    await h.task(pi, 'approval');
    await h.advance(7 * HOUR); // the approval comes 23 hours before the start
    await work(h, pi, 'approval', MANAGER, { approved: true });
    const back = await h.task(pi, 'area-correct');
    expect(back.candidateGroups).toEqual(['clerk']);
    expect(await h.variables(pi)).toMatchObject({
      problemField: 'startAt',
      problem: 'startAt: a planned shut-off is announced at least 24 hours ahead',
    });
    expect(await notices(caseNo)).toEqual([]);
    expect(await activeAt(h, pi, 'shutoff-start')).toBe(false);

    const later = h.now() + 48 * HOUR;
    await h.complete(pi, 'area-correct', { startAt: iso(later), endAt: iso(later + 6 * HOUR) });
    await work(h, pi, 'approval', MANAGER, { approved: true });
    await eventually(async () => (await notices(caseNo, 'water_shutoff')).length === 2);
    await eventually(() => activeAt(h, pi, 'shutoff-start'));
    expect(await completedElements(h, pi)).toEqual(expect.arrayContaining(['notice-window-gw', 'area-correct']));
    await h.t.client.cancelProcessInstance({ processInstanceKey: pi as never });
  });

  test('the model: a stage on every step a customer recognises, overdue timers to case-escalate, every end through case-close', async () => {
    expect(await modelProblems('water-shutoff-approval.bpmn')).toEqual([]);
  });
});
