import path from 'node:path';
import ExcelJS from 'exceljs';
import { CaseRecordService } from '../../domain/cases/record/service.js';
import { CasesService } from '../../domain/cases/service.js';
import { deploymentResources, processFiles } from '../../server/camunda/deploy-processes.js';
import caseEscalate from '../../workers/case-escalate.js';
import { startTestAquaflow, type ApiSession, type TestAquaflow } from '../support/aquaflow.js';
import { pdfText } from '../support/pdf-text.js';
import { eventually } from '../support/records.js';

// The case record and statistics over a small case-like model of our own (fixtures/case-record): 现场检查 with a
// PT2H escalation timer, then 审核. Three cases driven on the pinned clock, times hand-computed on the default
// calendar (Mon–Fri 08:30–12:00, 13:30–17:30, Asia/Shanghai). 2027-01-04 is a Monday.
const FIXTURE = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'fixtures/case-record');
const H = 3_600_000;
const NOW = { consistency: { waitUpToMs: 0 } } as never;
const at = (local: string) => Date.parse(`${local}+08:00`);

let t: TestAquaflow;
let manager: ApiSession;
let client: ReturnType<TestAquaflow['client']>;
let admin: ReturnType<TestAquaflow['client']>; // moves the clock (SYSTEM permission)
const cases: Record<'A' | 'B' | 'C', { caseNo: string; pi: string }> = {} as never;

async function pin(local: string) {
  await admin.pinClock({ timestamp: at(local) } as never);
}

async function openCase(name: string) {
  const service = new CasesService(t.db.knex);
  const opened = await service.openCase(
    { caseType: 'water-use-inspection', applicantName: name, applicantPhone: '13812345678' },
    { actor: 'clerk' },
  );
  const variables = await service.processVariables(opened.caseNo);
  const started = await client.createProcessInstance({
    processDefinitionId: 'water-use-inspection' as never,
    variables,
  });
  const pi = String(started.processInstanceKey);
  await service.attachProcess(opened.caseNo, pi, { actor: 'clerk' });
  return { caseNo: opened.caseNo, pi };
}

async function openTask(pi: string, elementId: string) {
  return eventually(async () => {
    const found = await client.searchUserTasks(
      {
        filter: { processInstanceKey: pi, elementId, state: 'CREATED' },
      } as never,
      NOW,
    );
    return found.items[0];
  });
}

/** Completes the open task of `elementId`, assigned first to `assignee` when one is given. */
async function finish(pi: string, elementId: string, assignee?: string) {
  const task = await openTask(pi, elementId);
  if (assignee) await client.assignUserTask({ userTaskKey: task.userTaskKey, assignee } as never);
  await client.completeUserTask({ userTaskKey: task.userTaskKey });
}

async function raw(session: ApiSession, url: string) {
  const r = await fetch(`${t.app.url}${url}`, { headers: { Cookie: session.cookie, 'X-Aquaflow-Request': '1' } });
  return { status: r.status, type: r.headers.get('content-type') ?? '', bytes: new Uint8Array(await r.arrayBuffer()) };
}

beforeAll(async () => {
  t = await startTestAquaflow({ deployProcesses: false, demoAccounts: 0, workers: [caseEscalate] });
  client = t.client('manager');
  admin = t.client('admin');
  await client.createDeployment({ resources: deploymentResources(processFiles(FIXTURE)) });
  manager = await t.signIn('manager');

  // A: 现场检查 Mon 09:00 → 14:00 (3h + 30m = 3h30, past its 2h: escalated at 11:00), 审核 14:00 → 15:00 (1h).
  await pin('2027-01-04T09:00');
  cases.A = await openCase('甲');
  await openTask(cases.A.pi, 'inspect');
  await client.assignUserTask({
    userTaskKey: (await openTask(cases.A.pi, 'inspect')).userTaskKey,
    assignee: 'engineer',
  } as never);
  await pin('2027-01-04T14:00');
  await eventually(async () => (await t.db.knex('cis.case_escalations').count({ n: '*' }).first())!.n === '1');
  await finish(cases.A.pi, 'inspect');
  await pin('2027-01-04T15:00');
  await finish(cases.A.pi, 'review', 'manager');

  // B: 现场检查 15:00 → 16:00 (1h), 审核 Mon 16:00 → Tue 09:00 (1h30 + 30m = 2h).
  cases.B = await openCase('乙');
  await pin('2027-01-04T16:00');
  await finish(cases.B.pi, 'inspect', 'engineer');
  await pin('2027-01-05T09:00');
  await finish(cases.B.pi, 'review', 'manager');

  // C: 现场检查 Tue 09:00 → 10:30 unassigned (1h30), 审核 10:30 → 11:30 (1h).
  cases.C = await openCase('丙');
  await pin('2027-01-05T10:30');
  await finish(cases.C.pi, 'inspect');
  await pin('2027-01-05T11:30');
  await finish(cases.C.pi, 'review', 'manager');
}, 180000);

afterAll(async () => {
  await admin?.resetClock().catch(() => undefined);
  await t?.stop();
});

test('the record: steps in order with who, when, working time against target, the overdue step escalated', async () => {
  const r = await manager.call('GET', `/api/business-cases/${cases.A.caseNo}/record`);
  expect(r.status).toBe(200);
  const steps = r.body.steps as Array<Record<string, unknown>>;
  expect(steps.map((s) => [s.elementId, s.name, s.assignee, s.candidateGroups])).toEqual([
    ['inspect', '现场检查', 'engineer', ['engineer']],
    ['review', '审核', 'manager', ['manager']],
  ]);
  expect(steps[0]).toMatchObject({
    state: 'COMPLETED',
    startedAt: new Date(at('2027-01-04T09:00')).toISOString(),
    endedAt: new Date(at('2027-01-04T14:00')).toISOString(),
    elapsedMs: 5 * H,
    workingMs: 3.5 * H,
    target: 'PT2H',
    targetMs: 2 * H,
    overdue: true,
    escalated: true,
  });
  expect(steps[1]).toMatchObject({ workingMs: H, target: null, targetMs: null, overdue: false, escalated: false });
  // the job did not know the assignee: the record takes it from the engine's task
  expect(r.body.escalations).toEqual([
    expect.objectContaining({
      step: 'inspect',
      stepName: '现场检查',
      assignee: 'engineer',
      candidateGroup: 'engineer',
    }),
  ]);
  expect(r.body).toMatchObject({ workingMs: 4.5 * H, elapsedMs: 6 * H, timeZone: 'Asia/Shanghai' });
  expect(r.body.case).toMatchObject({ caseNo: cases.A.caseNo, applicantPhone: '13812345678' });

  const b = await manager.call('GET', `/api/business-cases/${cases.B.caseNo}/record`);
  expect((b.body.steps as Array<Record<string, unknown>>).map((s) => [s.workingMs, s.overdue, s.escalated])).toEqual([
    [H, false, false],
    [2 * H, false, false],
  ]);
  expect(b.body.escalations).toEqual([]);
});

test('the escalation row: one per job however often it is delivered, with an audit row', async () => {
  const rows = await t.db.knex('cis.case_escalations').select('step', 'candidate_group', 'assignee', 'job_key');
  expect(rows).toEqual([expect.objectContaining({ step: 'inspect', candidate_group: 'engineer', assignee: null })]);
  const service = new CaseRecordService(t.db.knex);
  const ctx = { actor: 'worker:case-escalate', taskKey: rows[0].job_key, idempotencyKey: `job:${rows[0].job_key}` };
  await service.recordEscalation(cases.A.caseNo, { step: 'inspect', candidateGroup: 'engineer' }, ctx);
  // without the idempotency key (a second delivery of the job racing the first): the job key is unique
  await service.recordEscalation(cases.A.caseNo, { step: 'inspect' }, { actor: ctx.actor, taskKey: ctx.taskKey });
  expect(await t.db.knex('cis.case_escalations').count({ n: '*' }).first()).toEqual({ n: '1' });
  const audits = await t.db.knex('cis.audit_log').where({ action: 'case_escalated', entity_id: cases.A.caseNo });
  expect(audits).toHaveLength(1);
});

test('documents (every version), fees and payments of the case are in the record and on paper', async () => {
  const knex = t.db.knex;
  const { id: caseId } = await knex('cis.cases').where({ case_no: cases.A.caseNo }).first('id');
  // rows as the documents and fees modules write them
  const [doc] = await knex('cis.case_documents')
    .insert({ case_id: caseId, kind: 'drawing', title: '接水图纸', created_by: 'engineer' })
    .returning('id');
  for (const version of [1, 2])
    await knex('cis.case_document_versions').insert({
      case_document_id: doc.id,
      version,
      store_document_id: `doc-${version}`,
      store_id: 'local',
      content_hash: `h${version}`,
      content_type: 'application/pdf',
      file_name: `drawing-v${version}.pdf`,
      size: 1000 + version,
      step: 'inspect',
      uploaded_by: 'engineer',
    });
  const [session] = await knex('cis.cashier_sessions')
    .insert({ cashier: 'cashier', business_day: '2027-01-04' })
    .returning('id');
  const [payment] = await knex('cis.case_fee_payments')
    .insert({
      case_id: caseId,
      channel: 'counter',
      serial: 'CF-1',
      method: 'cash',
      amount_fen: 80000,
      cashier: 'cashier',
      session_id: session.id,
      business_day: '2027-01-04',
    })
    .returning('id');
  await knex('cis.case_fees').insert({
    case_id: caseId,
    item: 'connection_fee',
    amount_fen: 80000,
    state: 'paid',
    basis: 'DN15',
    payment_id: payment.id,
  });

  const r = await manager.call('GET', `/api/business-cases/${cases.A.caseNo}/record`);
  expect((r.body.documents as Array<Record<string, unknown>>).map((d) => [d.title, d.version, d.fileName])).toEqual([
    ['接水图纸', 1, 'drawing-v1.pdf'],
    ['接水图纸', 2, 'drawing-v2.pdf'],
  ]);
  expect(r.body.fees).toEqual([expect.objectContaining({ item: 'connection_fee', amountFen: 80000, state: 'paid' })]);
  expect(r.body.payments).toEqual([
    expect.objectContaining({ amountFen: 80000, method: 'cash', serial: 'CF-1', cashier: 'cashier' }),
  ]);
  const text = (await pdfText((await raw(manager, `/api/business-cases/${cases.A.caseNo}/record.pdf`)).bytes)).join(
    '\n',
  );
  for (const s of ['接水图纸', 'drawing-v2.pdf', '接水费', '800.00', 'CF-1']) expect(text).toContain(s);
});

test('the printed record names the case, its steps, the overdue one and the escalation', async () => {
  const pdf = await raw(manager, `/api/business-cases/${cases.A.caseNo}/record.pdf`);
  expect(pdf.status).toBe(200);
  expect(pdf.type).toBe('application/pdf');
  const text = (await pdfText(pdf.bytes)).join('\n');
  for (const s of [
    `业务档案 ${cases.A.caseNo}`,
    '用水监察',
    '现场检查',
    '审核',
    '3小时30分',
    '2小时',
    '超时',
    '督办记录',
  ])
    expect(text).toContain(s);
});

test('personal data is masked for roles that do not need it; other roles are refused; an unknown case is 404', async () => {
  const auditor = await t.signIn('auditor');
  const seen = await auditor.call('GET', `/api/business-cases/${cases.A.caseNo}/record`);
  expect(seen.status).toBe(200);
  expect((seen.body.case as Record<string, unknown>).applicantPhone).toBe('138****5678');
  const pdf = await raw(auditor, `/api/business-cases/${cases.A.caseNo}/record.pdf`);
  const text = (await pdfText(pdf.bytes)).join('\n');
  expect(text).toContain('138****5678');
  expect(text).not.toContain('13812345678');

  for (const role of ['reader', 'crew', 'dispatcher']) {
    const s = await t.signIn(role);
    expect([role, (await s.call('GET', `/api/business-cases/${cases.A.caseNo}/record`)).status]).toEqual([role, 403]);
  }
  for (const role of ['clerk', 'cashier', 'engineer', 'reader']) {
    const s = await t.signIn(role);
    expect([role, (await s.call('GET', '/api/business-cases/statistics')).status]).toEqual([role, 403]);
    expect([role, (await raw(s, '/api/business-cases/statistics.csv')).status]).toEqual([role, 403]);
  }
  expect((await manager.call('GET', '/api/business-cases/YW-20270101-9999/record')).status).toBe(404);
  expect((await manager.call('GET', '/api/business-cases/statistics?from=yesterday')).status).toBe(422);
});

// Hand-computed over A, B, C: 现场检查 3h30, 1h, 1h30 → mean 2h, p90 (3rd of 3) 3h30, 1 overdue;
// 审核 1h, 2h, 1h → mean 1h20, p90 2h; per case 4h30 (09:00–15:00 less lunch), 3h (15:00–Tue 09:00), 2h30.
test('statistics: by type and state, mean and p90 per step and per case, overdue by department and person', async () => {
  const auditor = await t.signIn('auditor');
  const s = await auditor.call('GET', '/api/business-cases/statistics?caseType=water-use-inspection');
  expect(s.status).toBe(200);
  expect(s.body.byTypeAndStatus).toEqual([{ caseType: 'water-use-inspection', status: 'open', count: 3 }]);
  expect(s.body.perStep).toEqual([
    {
      caseType: 'water-use-inspection',
      elementId: 'inspect',
      name: '现场检查',
      count: 3,
      avgWorkingMs: 2 * H,
      p90WorkingMs: 3.5 * H,
      overdue: 1,
    },
    {
      caseType: 'water-use-inspection',
      elementId: 'review',
      name: '审核',
      count: 3,
      avgWorkingMs: 80 * 60_000,
      p90WorkingMs: 2 * H,
      overdue: 0,
    },
  ]);
  expect(s.body.perCase).toEqual([
    { caseType: 'water-use-inspection', count: 3, avgWorkingMs: (10 / 3) * H, p90WorkingMs: 4.5 * H },
  ]);
  expect(s.body.overdueByGroup).toEqual([
    { group: 'engineer', overdue: 1, steps: 3 },
    { group: 'manager', overdue: 0, steps: 3 },
  ]);
  expect(s.body.overdueByPerson).toEqual([
    { person: 'engineer', overdue: 1, steps: 2 },
    { person: '', overdue: 0, steps: 1 },
    { person: 'manager', overdue: 0, steps: 3 },
  ]);
  expect(s.body.escalationsByGroup).toEqual([{ group: 'engineer', count: 1 }]);
  // months are the cases' opening (the case rows, in the utility's zone)
  const rows = await t.db.knex('cis.cases').select('created_at');
  const months = new Set(
    rows.map((r) => new Date(r.created_at).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }).slice(0, 7)),
  );
  expect(s.body.monthly).toEqual(
    [...months].sort().map((month) => ({
      month,
      caseType: 'water-use-inspection',
      opened: rows.filter((r) =>
        new Date(r.created_at).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }).startsWith(month),
      ).length,
      closed: 0,
    })),
  );

  // a period before any case: nothing
  const empty = await auditor.call(
    'GET',
    '/api/business-cases/statistics?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z',
  );
  expect(empty.body).toMatchObject({ byTypeAndStatus: [], perStep: [], perCase: [], monthly: [] });
});

test('statistics as CSV and as a spreadsheet carry the same numbers', async () => {
  const csv = await raw(manager, '/api/business-cases/statistics.csv?caseType=water-use-inspection');
  expect(csv.status).toBe(200);
  expect(csv.type).toContain('text/csv');
  expect([...csv.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs to read UTF-8
  const text = new TextDecoder().decode(csv.bytes);
  expect(text).toContain('环节用时');
  expect(text).toContain('用水监察,现场检查,3,2,3.5,1');
  expect(text).toContain('用水监察,审核,3,1.33,2,0');
  expect(text).toContain('用水监察,3,3.33,4.5');

  const xlsx = await raw(manager, '/api/business-cases/statistics.xlsx?caseType=water-use-inspection');
  expect(xlsx.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(xlsx.bytes) as never);
  const sheet = book.getWorksheet('环节用时')!;
  const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
  expect(values(1)).toEqual(['业务类型', '环节', '次数', '平均工作小时', '90%工作小时', '超时次数']);
  expect(values(2)).toEqual(['用水监察', '现场检查', 3, 2, 3.5, 1]);
  expect(values(3)).toEqual(['用水监察', '审核', 3, 1.33, 2, 0]);
  expect(book.getWorksheet('超时按部门')!.getRow(2).values).toEqual([undefined, 'engineer', 1, 3]);
});

test('a manager changes the working calendar: the record measures on it; others may not; bad calendars are 422', async () => {
  const before = await manager.call('GET', '/api/business-cases/work-calendar');
  expect(before.body).toEqual({
    timeZone: 'Asia/Shanghai',
    periods: [
      ['08:30', '12:00'],
      ['13:30', '17:30'],
    ],
    weekdays: [1, 2, 3, 4, 5],
    holidays: [],
    extraWorkdays: [],
  });
  const clerk = await t.signIn('clerk');
  expect((await clerk.call('PUT', '/api/business-cases/work-calendar', before.body)).status).toBe(403);
  const auditor = await t.signIn('auditor');
  expect((await auditor.call('PUT', '/api/business-cases/work-calendar', before.body)).status).toBe(403);
  const bad = await manager.call('PUT', '/api/business-cases/work-calendar', {
    ...before.body,
    periods: [
      ['08:30', '12:00'],
      ['11:00', '17:30'],
    ],
  });
  expect(bad.status).toBe(422);
  expect(
    (await manager.call('PUT', '/api/business-cases/work-calendar', { ...before.body, timeZone: 'Mars/Olympus' }))
      .status,
  ).toBe(422);

  // one period 09:00–17:00, and Monday 2027-01-04 a holiday: case A's steps (all on that Monday) took no working time
  const changed = await manager.call('PUT', '/api/business-cases/work-calendar', {
    ...before.body,
    periods: [['09:00', '17:00']],
    holidays: ['2027-01-04'],
  });
  expect(changed.status).toBe(200);
  expect((await manager.call('GET', '/api/business-cases/work-calendar')).body).toMatchObject({
    periods: [['09:00', '17:00']],
    holidays: ['2027-01-04'],
  });
  const r = await manager.call('GET', `/api/business-cases/${cases.B.caseNo}/record`);
  // B: 现场检查 Mon 15:00–16:00 (holiday: 0), 审核 Mon 16:00 → Tue 09:00 (0 on Monday, Tuesday starts at 09:00: 0)
  expect((r.body.steps as Array<Record<string, unknown>>).map((s) => s.workingMs)).toEqual([0, 0]);
  expect(await t.db.knex('cis.audit_log').where({ action: 'case_calendar_updated' })).toHaveLength(1);
  await manager.call('PUT', '/api/business-cases/work-calendar', before.body);
});

test('role matrix of the case record and statistics: 403 exactly where the roles say', async () => {
  const ROLES = ['clerk', 'cashier', 'reader', 'dispatcher', 'crew', 'engineer', 'manager', 'auditor', 'admin'];
  const READERS = ['clerk', 'cashier', 'engineer', 'manager', 'admin', 'auditor'];
  const OVERSIGHT = ['manager', 'admin', 'auditor'];
  // [method, path, body, roles that may]; an allowed PUT of {} is a 422 that changes nothing
  const matrix: Array<[string, string, unknown, string[]]> = [
    ['GET', `/api/business-cases/${cases.A.caseNo}/record`, undefined, READERS],
    ['GET', `/api/business-cases/${cases.A.caseNo}/record.pdf`, undefined, READERS],
    ['GET', '/api/business-cases/statistics', undefined, OVERSIGHT],
    ['GET', '/api/business-cases/statistics.csv', undefined, OVERSIGHT],
    ['GET', '/api/business-cases/statistics.xlsx', undefined, OVERSIGHT],
    ['GET', '/api/business-cases/work-calendar', undefined, OVERSIGHT],
    ['PUT', '/api/business-cases/work-calendar', {}, ['manager', 'admin']],
  ];
  const wrong: string[] = [];
  for (const role of ROLES) {
    const session = await t.signIn(role);
    for (const [method, url, body, may] of matrix) {
      const status =
        method === 'GET' && url.match(/\.(pdf|csv|xlsx)$/)
          ? (await raw(session, url)).status
          : (await session.call(method, url, body)).status;
      const expected = may.includes(role) ? (method === 'PUT' ? 422 : 200) : 403;
      if (status !== expected) wrong.push(`${role} ${method} ${url}: ${status}, expected ${expected}`);
    }
  }
  expect(wrong).toEqual([]);
  expect(await t.db.knex('cis.audit_log').where({ action: 'case_calendar_updated' })).toHaveLength(2);
});
